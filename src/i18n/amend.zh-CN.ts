// zh-CN messages of corrections to the record: which incident a command acts on, void and amend, what was shortened.
type P<T> = (p: T) => string;

export const zhAmend = {
  'err.twoIncidents': ((p) => `命令中写了两个事件编号（${p.ids}）：一条命令只能作用于一个事件，请只写一个。未记录任何内容。`) as P<{ ids: string }>,
  'err.whichAnswer': ((p) => `“${p.input}”不是可选的事件。请回复事件编号或序号：${p.ids}。`) as P<{ input: string; ids: string }>,
  'which.prompt': ((p) => `本频道有多个处置中的事件（${p.ids}），您尚未选定其中一个：这条命令要记录到哪个事件？（未记录任何内容，选定后即记录。）`) as P<{ ids: string }>,
  'which.hint': '点选事件，或回复事件编号或序号；也可在命令中直接写事件编号，如 /incident report brief INC-20261201-01 via phone。',
  'note.actedOnChosen': ((p) => `（作用于 ${p.id}：这是您本人选定的事件（new、use 或在命令中写明编号）。本频道有多个事件：${p.ids}；指定其他事件请在命令中写事件编号。）`) as P<{ id: string; ids: string }>,
  'note.clipped': ((p) => `⚠ ${p.field}超过 ${p.kept} 字：只保留前 ${p.kept} 字，截去 ${p.cut} 字（台账中同样注明）。`) as P<{ field: string; kept: number; cut: number }>,
  'err.alreadyVoided': ((p) => `${p.id} 已于 ${p.at} 作废（原因：${p.reason}），不能再作废或修改。`) as P<{ id: string; at: string; reason: string }>,
  'err.amendSame': ((p) => `${p.id} 的记录与您给的值相同，没有需要修改的内容。`) as P<{ id: string }>,
  'ok.voided': ((p) => `已作废 ${p.id}（${p.kind}，原因：${p.reason}）。原报告记录保留在台账中并标注“作废”；它不再满足任何报送义务，相应时限按未报送重新计算（见下方卡片）。`) as P<{ id: string; kind: string; reason: string }>,
  'ok.amended': ((p) => `已修改 ${p.id}（${p.kind}）：${p.changes}；原因：${p.reason}。原记录保留在台账中，与修改后的记录并列。`) as P<{ id: string; kind: string; changes: string; reason: string }>,
  'usage.void': '/incident void <报告编号> reason <原因>，如 作废 R3 reason 误记，实际未报送',
  'usage.amend': '/incident amend <报告编号> [at <报送时间>] [contact <接报联系人>] [text <报告内容>] reason <原因>，如 amend R1 at 15:40 reason 报送时间记错',
  'field.title': '事件名称',
  'field.contact': '人民银行接报联系人',
  'field.reason': '原因',
  'field.text': '报告内容',
  'field.note': '备注',
  'field.milestone': '进展',
  'report.committed': ((p) => `承诺报送事后调查总结报告日期 ${p.date}`) as P<{ date: string }>,
  'deadline.committedLatest': ((p) => `事后调查总结报告的截止日期按最近一份初步报告承诺的 ${p.committed}（此前承诺：${p.earlier}）。`) as P<{ committed: string; earlier: string }>,
};
