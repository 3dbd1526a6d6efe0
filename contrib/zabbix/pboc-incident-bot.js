// Zabbix webhook media type script (Zabbix 6.0+): posts a problem or its recovery to pboc-incident-bot
// as an Alertmanager webhook v4 payload (POST /alerts/alertmanager, bearer token). Parameters, set on the
// media type (docs/platforms/alerts.md, "Zabbix media type"):
//   url            https://bot.example/alerts/alertmanager
//   token          the bot's ALERTS_ALERTMANAGER_TOKEN
//   timezone       the Zabbix server's UTC offset, e.g. +08:00 ({EVENT.DATE}/{EVENT.TIME} are in its local time)
//   event_id       {EVENT.ID}
//   event_value    {EVENT.VALUE}            1 problem, 0 recovery
//   event_name     {EVENT.NAME}
//   event_date     {EVENT.DATE}             2026.11.23
//   event_time     {EVENT.TIME}             11:20:00
//   recovery_date  {EVENT.RECOVERY.DATE}
//   recovery_time  {EVENT.RECOVERY.TIME}
//   severity       {EVENT.SEVERITY}
//   host           {HOST.NAME}
//   tags           {EVENT.TAGSJSON}         [{"tag":"service","value":"core-banking"}]: the labels the bot's routes match
/* global value, HttpRequest, Zabbix */
var PbocIncidentBot = {
  time: function (date, time, tz) {
    if (!/^\d{4}\.\d{2}\.\d{2}$/.test(date) || !/^\d{2}:\d{2}:\d{2}$/.test(time)) throw 'bad date/time: ' + date + ' ' + time;
    if (!/^[+-]\d{2}:\d{2}$/.test(tz)) throw 'timezone must look like +08:00, got ' + tz;
    return date.replace(/\./g, '-') + 'T' + time + tz;
  },

  payload: function (p) {
    var labels = { alertname: p.event_name, host: p.host || '', severity: p.severity || '' };
    var tags = p.tags && p.tags.charAt(0) === '[' ? JSON.parse(p.tags) : [];
    for (var i = 0; i < tags.length; i++) if (tags[i].tag) labels[tags[i].tag] = String(tags[i].value || '');
    var resolved = String(p.event_value) === '0';
    var alert = {
      status: resolved ? 'resolved' : 'firing',
      labels: labels,
      annotations: { summary: p.event_name },
      startsAt: PbocIncidentBot.time(p.event_date, p.event_time, p.timezone),
      endsAt: resolved ? PbocIncidentBot.time(p.recovery_date, p.recovery_time, p.timezone) : '0001-01-01T00:00:00Z',
      fingerprint: 'zabbix-' + p.event_id,
      generatorURL: '',
    };
    return {
      version: '4', groupKey: 'zabbix:' + p.event_id, status: alert.status, receiver: 'zabbix',
      groupLabels: {}, commonLabels: labels, commonAnnotations: {}, externalURL: '', alerts: [alert],
    };
  },

  send: function (p) {
    var req = new HttpRequest();
    req.addHeader('Content-Type: application/json');
    req.addHeader('Authorization: Bearer ' + p.token);
    var body = JSON.stringify(PbocIncidentBot.payload(p));
    var resp = req.post(p.url, body);
    if (req.getStatus() !== 200) throw 'pboc-incident-bot answered ' + req.getStatus() + ': ' + resp;
    return resp;
  },
};

try {
  var params = JSON.parse(value);
  if (!params.url || !params.token) throw 'the media type needs the url and token parameters';
  PbocIncidentBot.send(params);
  return 'OK';
} catch (error) {
  Zabbix.log(3, '[pboc-incident-bot] ' + error);
  throw 'pboc-incident-bot: ' + error;
}
