// zh-CN messages of corrections to the record: which incident a command acts on, void and amend, what was shortened.
type P<T> = (p: T) => string;

export const zhAmend = {
  'err.twoIncidents': ((p) => `命令中写了两个事件编号（${p.ids}）：一条命令只能作用于一个事件，请只写一个。未记录任何内容。`) as P<{ ids: string }>,
  'err.whichAnswer': ((p) => `“${p.input}”不是可选的事件。请回复事件编号或序号：${p.ids}。`) as P<{ input: string; ids: string }>,
  'which.prompt': ((p) => `本频道有多个处置中的事件（${p.ids}），您尚未选定其中一个：这条命令要记录到哪个事件？（未记录任何内容，选定后即记录。）`) as P<{ ids: string }>,
  'which.hint': '点选事件，或回复事件编号或序号；也可在命令中直接写事件编号，如 /incident report brief INC-20261201-01 via phone。',
  'note.actedOnChosen': ((p) => `（作用于 ${p.id}：这是您本人选定的事件（new、use 或在命令中写明编号）。本频道有多个事件：${p.ids}；指定其他事件请在命令中写事件编号。）`) as P<{ id: string; ids: string }>,
};
