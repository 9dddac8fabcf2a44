#!/usr/bin/env node
// Parses and analyses exported KQL with Microsoft's own parser, Kusto.Language
// (the npm package @kusto/language-service-next, installed by .ci/kusto-deps),
// against a database holding every table of the documented schemas.
//
//   HUNTLAB_KUSTO_NODE=DIR HUNTLAB_SCHEMA_DATA=DIR node kusto-check.js [--report OUT] FILE...
//
// HUNTLAB_KUSTO_NODE: the folder whose node_modules/ holds the two packages.
// HUNTLAB_SCHEMA_DATA: the documented column lists (`<Table>.columns`, with
// their types in `types.tsv`; ../shared/data/schemas/ beside the checkout).
// A FILE is a query (`.kql`) or a Sentinel analytic rule (`.yaml`, its `query`;
// a query over Sentinel's 10,000 characters is an error).
//
// Every diagnostic of severity Error is printed as `file:line:col: message`
// (for a rule, the line and column in the YAML file); the exit code is 1 when
// there is any, 2 when the check could not run. The last line, on standard
// error, counts queries, errors and warnings. With --report, one JSON line per
// file goes to OUT: the file, the query's length in characters, its errors and
// warnings, the columns its result has, and (for a rule) the rule as read.
"use strict";

const fs = require("fs");
const path = require("path");

// The types.tsv profile of the `.columns` lists: advanced hunting, as the
// lists are written (the file's other profiles are Log Analytics' copies).
const PROFILE = "ah";

// Column types of tables types.tsv does not type, from the same Microsoft
// table pages their `.columns` lists come from: UrlClickEvents, as Defender
// XDR's "UrlClickEvents" advanced-hunting table reference gives them (its
// ReportId is text, where the Device tables' is a number).
const PAGE_TYPES = {
  UrlClickEvents: {
    Timestamp: "datetime", Url: "string", ActionType: "string", AccountUpn: "string",
    Workload: "string", NetworkMessageId: "string", ThreatTypes: "string",
    DetectionMethods: "string", IPAddress: "string", IsClickedThrough: "bool",
    UrlChain: "string", ReportId: "string", AppName: "string", AppVersion: "string",
    SourceId: "string",
  },
};

// The longest query of a Sentinel scheduled analytic rule, in characters.
const SENTINEL_QUERY_LIMIT = 10000;

// ASIM's DNS parser `_Im_Dns`, which no `.columns` list describes (a function
// Sentinel provides, not a table). Its parameters, all optional, as Microsoft's
// "ASIM DNS normalization schema reference" lists them ("Filtering parser
// parameters": MicrosoftDocs/azure-docs articles/sentinel/normalization-schema-dns.md
// @003fc63); the defaults are "no filter". Its result has the columns of the
// table ASIM normalises DNS into, ASimDnsActivityLogs, with their documented
// types (MicrosoftDocs/azure-reference-other azure-monitor-ref/tables/includes/
// asimdnsactivitylogs-include.md @0f8cea7, ms.date 02/18/2024).
const IM_DNS_PARAMETERS =
  "(starttime:datetime=datetime(null), endtime:datetime=datetime(null), " +
  "srcipaddr:string='*', domain_has_any:dynamic=dynamic([]), responsecodename:string='*', " +
  "response_has_ipv4:string='*', response_has_any_prefix:dynamic=dynamic([]), eventtype:string='Query')";
const IM_DNS_COLUMNS = `AdditionalFields:dynamic _BilledSize:real DnsFlags:string
DnsFlagsAuthenticated:bool DnsFlagsAuthoritative:bool DnsFlagsCheckingDisabled:bool
DnsFlagsRecursionAvailable:bool DnsFlagsRecursionDesired:bool DnsFlagsTruncated:bool DnsFlagsZ:bool
DnsNetworkDuration:int DnsQuery:string DnsQueryClass:int DnsQueryClassName:string DnsQueryType:int
DnsQueryTypeName:string DnsResponseCode:int DnsResponseIpCity:string DnsResponseIpCountry:string
DnsResponseIpLatitude:real DnsResponseIpLongitude:real DnsResponseIpRegion:string
DnsResponseName:string DnsSessionId:string Dst:string DstDescription:string DstDeviceType:string
DstDomain:string DstDomainType:string DstDvcId:string DstDvcIdType:string DstDvcScope:string
DstDvcScopeId:string DstFQDN:string DstGeoCity:string DstGeoCountry:string DstGeoLatitude:real
DstGeoLongitude:real DstGeoRegion:string DstHostname:string DstIpAddr:string
DstOriginalRiskLevel:string DstPortNumber:int DstRiskLevel:int Dvc:string DvcAction:string
DvcDescription:string DvcDomain:string DvcDomainType:string DvcFQDN:string DvcHostname:string
DvcId:string DvcIdType:string DvcInterface:string DvcIpAddr:string DvcMacAddr:string
DvcOriginalAction:string DvcOs:string DvcOsVersion:string DvcScope:string DvcScopeId:string
DvcZone:string EventCount:int EventEndTime:datetime EventMessage:string EventOriginalSeverity:string
EventOriginalType:string EventOriginalUid:string EventOwner:string EventProduct:string
EventProductVersion:string EventReportUrl:string EventResult:string EventResultDetails:string
EventSchemaVersion:string EventSeverity:string EventStartTime:datetime EventSubType:string
EventType:string EventVendor:string _IsBillable:string NetworkProtocol:string
NetworkProtocolVersion:string _ResourceId:string RuleName:string RuleNumber:int SourceSystem:string
Src:string SrcDescription:string SrcDeviceType:string SrcDomain:string SrcDomainType:string
SrcDvcId:string SrcDvcIdType:string SrcDvcScope:string SrcDvcScopeId:string SrcFQDN:string
SrcGeoCity:string SrcGeoCountry:string SrcGeoLatitude:real SrcGeoLongitude:real SrcGeoRegion:string
SrcHostname:string SrcIpAddr:string SrcOriginalRiskLevel:string SrcOriginalUserType:string
SrcPortNumber:int SrcProcessGuid:string SrcProcessId:string SrcProcessName:string SrcRiskLevel:int
SrcUserId:string SrcUserIdType:string SrcUsername:string SrcUsernameType:string SrcUserScope:string
SrcUserScopeId:string SrcUserSessionId:string SrcUserType:string _SubscriptionId:string
TenantId:string ThreatCategory:string ThreatConfidence:int ThreatField:string
ThreatFirstReportedTime:string ThreatFirstReportedTime_d:datetime ThreatId:string
ThreatIpAddr:string ThreatIsActive:bool ThreatLastReportedTime:string
ThreatLastReportedTime_d:datetime ThreatName:string ThreatOriginalConfidence:string
ThreatOriginalRiskLevel:int ThreatOriginalRiskLevel_s:string ThreatRiskLevel:int
TimeGenerated:datetime TransactionIdHex:string Type:string UrlCategory:string`;

// ASIM's network session and web session parsers `_Im_NetworkSession` and
// `_Im_WebSession` (functions, as `_Im_Dns`). Their filtering parameters, all
// optional, as Microsoft's "ASIM Network Session normalization schema" and "ASIM
// Web Session normalization schema" references list them ("Filtering parser
// parameters", learn.microsoft.com/azure/sentinel/normalization-schema-network
// and normalization-schema-web); the defaults are "no filter". Their result:
// the documented columns of ASimNetworkSessionLogs and ASimWebSessionLogs
// (learn.microsoft.com/azure/azure-monitor/reference/tables/asimnetworksessionlogs,
// asimwebsessionlogs) that identify a row and that the exported forms read, not
// the whole list: a column the forms name outside it is an error here.
const IM_NETWORK_PARAMETERS =
  "(starttime:datetime=datetime(null), endtime:datetime=datetime(null), " +
  "srcipaddr_has_any_prefix:dynamic=dynamic([]), dstipaddr_has_any_prefix:dynamic=dynamic([]), " +
  "ipaddr_has_any_prefix:dynamic=dynamic([]), dstportnumber:int=int(null), " +
  "hostname_has_any:dynamic=dynamic([]), dvcaction:dynamic=dynamic([]), eventresult:string='*')";
const IM_WEB_PARAMETERS =
  "(starttime:datetime=datetime(null), endtime:datetime=datetime(null), " +
  "srcipaddr_has_any_prefix:dynamic=dynamic([]), ipaddr_has_any_prefix:dynamic=dynamic([]), " +
  "url_has_any:dynamic=dynamic([]), httpuseragent_has_any:dynamic=dynamic([]), " +
  "eventresultdetails_in:dynamic=dynamic([]), eventresult:string='*')";
const IM_NETWORK_COLUMNS = `AdditionalFields:dynamic DstAppName:string DstBytes:long
DstDomain:string DstFQDN:string DstHostname:string DstIpAddr:string DstNatIpAddr:string
DstNatPortNumber:int DstPortNumber:int Dvc:string DvcAction:string DvcHostname:string
DvcIpAddr:string EventCount:int EventEndTime:datetime EventProduct:string EventResult:string
EventSchemaVersion:string EventStartTime:datetime EventType:string EventVendor:string
NetworkDirection:string NetworkProtocol:string SrcFQDN:string SrcHostname:string SrcIpAddr:string
SrcPortNumber:int TenantId:string TimeGenerated:datetime Type:string`;
const IM_WEB_COLUMNS = `${IM_NETWORK_COLUMNS} HttpHost:string HttpRequestMethod:string
HttpStatusCode:string HttpUserAgent:string Url:string UrlCategory:string UrlOriginal:string`;

function fail(message) {
  process.stderr.write(`kusto-check: ${message}\n`);
  process.exit(2);
}

function env(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set`);
  if (!fs.statSync(value, { throwIfNoEntry: false })?.isDirectory()) {
    fail(`${name}=${value} is not a folder`);
  }
  return value;
}

function load(nodeDir) {
  const pkg = path.join(nodeDir, "node_modules", "@kusto", "language-service-next");
  for (const file of ["bridge.js", "Kusto.Language.Bridge.js"]) {
    const p = path.join(pkg, file);
    if (!fs.existsSync(p)) fail(`${p} is missing (run .ci/kusto-deps)`);
    require(p);
  }
  const yamlDir = path.join(nodeDir, "node_modules", "yaml");
  if (!fs.existsSync(yamlDir)) fail(`${yamlDir} is missing (run .ci/kusto-deps)`);
  const K = global.Kusto.Language;
  linearToString(K);
  return { K, YAML: require(yamlDir) };
}

// A syntax node's text, written token by token into a StringBuilder, checks the
// builder's length before each token against a limit; without a limit (the
// largest int) the check is always true, but the JavaScript runtime's
// StringBuilder joins its whole buffer to answer it, which makes the text of a
// `dynamic([...])` of n values (the analyser asks for it) take time in n
// squared: about 5 s for each list of 10,000 domains. Writing the tokens with no
// check when there is no limit gives the same text in linear time; with a
// limit, the original runs.
function linearToString(K) {
  const proto = K.Syntax.SyntaxElement.prototype;
  const original = proto.ToString$1;
  if (typeof original !== "function") fail("Kusto.Language has no SyntaxElement.ToString$1");
  const unlimited = 2147483647;
  proto.ToString$1 = function (includeTrivia, maxLength) {
    if (maxLength !== unlimited) return original.call(this, includeTrivia, maxLength);
    const builder = new global.System.Text.StringBuilder();
    const start = this.TriviaStart;
    this.WalkTokens((token) => token.Write(builder, includeTrivia, start));
    return builder.toString();
  };
}

// Table name -> [[column, type]]: every `.columns` list whose name is a table
// (the `Sysmon-N` lists are one Sysmon event's fields inside the Event table's
// EventData, not tables), typed by types.tsv, and the tables types.tsv alone
// lists (`Event`, with its source there). A listed column with no type is read
// as string, and named on standard error.
function schemaTables(dir) {
  const types = new Map();
  const tsv = path.join(dir, "types.tsv");
  if (!fs.existsSync(tsv)) fail(`${tsv} is missing`);
  for (const line of fs.readFileSync(tsv, "utf8").split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const [profile, table, column, type] = line.split("\t");
    if (profile !== PROFILE) continue;
    if (!types.has(table)) types.set(table, new Map());
    types.get(table).set(column, type);
  }
  const tables = new Map();
  const untyped = [];
  const lists = fs.readdirSync(dir).filter((f) => f.endsWith(".columns")).sort();
  if (lists.length === 0) fail(`no .columns list in ${dir}`);
  for (const file of lists) {
    const table = file.slice(0, -".columns".length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) continue;
    const typed = types.get(table) || new Map();
    const names = fs
      .readFileSync(path.join(dir, file), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    // TimeGenerated is Azure Monitor's standard column ("Standard columns in
    // Azure Monitor Logs"), a datetime in every Log Analytics table, as in
    // every table types.tsv types; a list without types (CommonSecurityLog)
    // still has it as a datetime, which a scheduled rule's window compares.
    const page = PAGE_TYPES[table] || {};
    const typeOf = (n) =>
      typed.get(n) || page[n] || (n === "TimeGenerated" ? "datetime" : undefined);
    const missing = names.filter((n) => !typeOf(n));
    if (missing.length > 0) untyped.push(`${table} (${missing.length})`);
    tables.set(table, names.map((n) => [n, typeOf(n) || "string"]));
  }
  for (const [table, typed] of types) {
    if (!tables.has(table)) tables.set(table, [...typed.entries()]);
  }
  if (untyped.length > 0) {
    process.stderr.write(`kusto-check: no type in types.tsv, read as string: ${untyped.join(", ")}\n`);
  }
  return tables;
}

function globals(K, tables) {
  const S = K.Symbols;
  const members = [];
  for (const [name, columns] of tables) {
    const cols = columns.map(([c, t]) => new S.ColumnSymbol(c, S.ScalarSymbol.From(t)));
    members.push(new S.TableSymbol.$ctor4(name, cols));
  }
  const imDnsSchema = IM_DNS_COLUMNS.split(/\s+/).filter(Boolean).join(", ");
  members.push(
    new S.FunctionSymbol.$ctor16(
      "_Im_Dns",
      IM_DNS_PARAMETERS,
      `{ datatable(${imDnsSchema})[] }`,
      "ASIM DNS unifying parser"
    )
  );
  for (const [name, parameters, columns, what] of [
    ["_Im_NetworkSession", IM_NETWORK_PARAMETERS, IM_NETWORK_COLUMNS, "ASIM network session unifying parser"],
    ["_Im_WebSession", IM_WEB_PARAMETERS, IM_WEB_COLUMNS, "ASIM web session unifying parser"],
  ]) {
    const schema = columns.split(/\s+/).filter(Boolean).join(", ");
    members.push(new S.FunctionSymbol.$ctor16(name, parameters, `{ datatable(${schema})[] }`, what));
  }
  // Sentinel's watchlist function: a watchlist's rows, with the system
  // columns it documents (learn.microsoft.com/azure/sentinel/watchlists-queries:
  // `SearchKey` holds the search-key column's value) and the CSV's own columns
  // in `WatchlistItem`.
  members.push(
    new S.FunctionSymbol.$ctor16(
      "_GetWatchlist",
      "(watchlistAlias:string)",
      "{ datatable(_DTItemId:string, LastUpdatedTimeUTC:datetime, SearchKey:string, WatchlistItem:dynamic)[] }",
      "Sentinel watchlist"
    )
  );
  const db = new S.DatabaseSymbol.$ctor1("huntlab", members, false);
  return K.GlobalState.Default.WithDatabase(db);
}

// The query of a file, and how to place a position of it in the file.
function queryOf(file, YAML) {
  const text = fs.readFileSync(file, "utf8");
  if (!/\.ya?ml$/.test(file)) {
    return { query: text, rule: null, place: (line, col) => [line, col] };
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not YAML: ${doc.errors[0].message}`);
  const rule = doc.toJS();
  const node = doc.get("query", true);
  if (!node || typeof node.value !== "string") throw new Error("no `query` field");
  let place = (line, col) => [line, col];
  if (node.type === "BLOCK_LITERAL") {
    // A literal block: the value's line k is the file's line after the header
    // plus k, indented by the block's indentation.
    const header = text.slice(0, node.range[0]).split("\n").length;
    const body = text.slice(node.range[0]).split("\n")[1] || "";
    const indent = body.length - body.trimStart().length;
    place = (line, col) => [header + line, col + indent];
  } else {
    const at = text.slice(0, node.range[0]).split("\n").length;
    place = () => [at, 1];
  }
  return { query: node.value, rule, place };
}

function lineCol(text, offset) {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return [line, offset - start + 1];
}

function resultColumns(code) {
  const type = code.ResultType;
  if (!type || !type.Columns) return [];
  const out = [];
  for (let i = 0; i < type.Columns.Count; i++) out.push(type.Columns.getItem(i).Name);
  return out;
}

function main() {
  const args = process.argv.slice(2);
  let report = null;
  if (args[0] === "--report") {
    report = args[1];
    args.splice(0, 2);
  }
  if (args.length === 0) fail("usage: kusto-check.js [--report OUT] FILE...");
  const { K, YAML } = load(env("HUNTLAB_KUSTO_NODE"));
  const state = globals(K, schemaTables(env("HUNTLAB_SCHEMA_DATA")));
  const lines = [];
  let errors = 0;
  let warnings = 0;
  for (const file of args) {
    let q;
    try {
      q = queryOf(file, YAML);
    } catch (e) {
      process.stdout.write(`${file}:1:1: ${e.message}\n`);
      errors++;
      continue;
    }
    // A scheduled rule's query is 1 to 10,000 characters (Sentinel, and the
    // Azure-Sentinel repository's template validation).
    const chars = [...q.query].length;
    if (q.rule && chars > SENTINEL_QUERY_LIMIT) {
      process.stdout.write(
        `${file}:1:1: query is ${chars} characters, over Sentinel's ${SENTINEL_QUERY_LIMIT}\n`
      );
      errors++;
    }
    const code = K.KustoCode.ParseAndAnalyze(q.query, state);
    const diags = code.GetDiagnostics();
    const found = { errors: [], warnings: [] };
    for (let i = 0; i < diags.Count; i++) {
      const d = diags.getItem(i);
      const [line, col] = q.place(...lineCol(q.query, d.Start));
      const item = { line, col, code: d.Code, message: d.Message };
      if (d.Severity === "Error") {
        found.errors.push(item);
        process.stdout.write(`${file}:${line}:${col}: ${d.Message} (${d.Code})\n`);
      } else if (d.Severity === "Warning") {
        found.warnings.push(item);
      }
    }
    // The analyzers' findings (KustoCodeService.GetAnalyzerDiagnostics):
    // advice beyond errors, such as a deprecated function or a costly form.
    // The Rust test fails on any outside its allow-list.
    const analyzer = [];
    if (!process.env.HUNTLAB_KUSTO_NO_ANALYZERS) {
      const service = new K.Editor.KustoCodeService(code);
      const never = { ThrowIfCancellationRequested() {}, IsCancellationRequested: false };
      const found2 = service.GetAnalyzerDiagnostics(true, never);
      for (let i = 0; i < found2.Count; i++) {
        const d = found2.getItem(i);
        const [line, col] = q.place(...lineCol(q.query, d.Start));
        analyzer.push({ line, col, code: d.Code, severity: d.Severity, message: d.Message });
      }
    }
    found.analyzer = analyzer;
    errors += found.errors.length;
    warnings += found.warnings.length;
    lines.push(
      JSON.stringify({
        file,
        query_chars: [...q.query].length,
        errors: found.errors,
        warnings: found.warnings,
        analyzer: found.analyzer,
        columns: resultColumns(code),
        rule: q.rule,
      })
    );
  }
  if (report) fs.writeFileSync(report, lines.map((l) => `${l}\n`).join(""));
  process.stderr.write(
    `kusto-check: ${args.length} queries, ${errors} errors, ${warnings} warnings\n`
  );
  process.exit(errors > 0 ? 1 : 0);
}

main();
