#!/usr/bin/env node
// Test-only OTLP/HTTP trace receiver (what Jaeger's or a Collector's :4318 does for traces), strict
// about the OTLP/JSON encoding so exporter bugs show up in tests instead of in Jaeger.
//
//   node receiver.mjs [--port 0] [--host 127.0.0.1] [--out spans.jsonl] [--verbose]
//
// Prints ONE line on stdout once it listens: {"port":N,"endpoint":"http://127.0.0.1:N"} (port 0: the
// kernel chooses). Logs go to stderr. Ends on SIGTERM/SIGINT.
//
//   POST /v1/traces     Content-Type application/json (OTLP/JSON) or application/x-protobuf; gzip
//                       Content-Encoding accepted. The request is checked against
//                       ExportTraceServiceRequest (otlp.mjs). Valid -> 200 {"partialSuccess":{}} (an
//                       empty ExportTraceServiceResponse for protobuf) and each span appended to --out
//                       as one JSON line: the span (OTLP/JSON form) plus "service" (service.name) and
//                       "scope" (its InstrumentationScope). Invalid -> 400 {"code":3,"message":...}
//                       (google.rpc.Status, as protobuf for protobuf requests) and a line in
//                       rejected.jsonl next to --out.
//   GET /spans          every stored span (JSON array); DELETE /spans forgets them and empties --out.
//   GET /rejected       the rejected requests (JSON array); DELETE /rejected forgets them.
//   POST /_control      fault injection for exporter tests, a JSON object with any of:
//                         {"fail": N, "status": 503, "retry_after": S}  the next N exports answer
//                             `status` (default 503) with a Status body (and Retry-After: S if given)
//                             without storing anything;
//                         {"delay_ms": D}  wait D ms before handling each export (0: no delay).
//                       Answers (as GET /_control does) the settings and counters: requests, accepted,
//                       rejected, failed (injected), spans.
//   GET /healthz        200 {"status":"ok"}.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { OtlpError, checkJson, checkProtobuf, emptyResponseBytes, encodeStatus } from "./otlp.mjs";

const MAX_BODY = 32 * 1024 * 1024;
// google.rpc.Code for the HTTP statuses an injected failure may use (OTLP/HTTP maps them this way).
const RPC_CODE = { 400: 3, 401: 16, 403: 7, 404: 5, 408: 4, 413: 8, 429: 8, 500: 13, 501: 12, 502: 14, 503: 14, 504: 4 };

function parseArgs(argv) {
  const args = { port: 0, host: "127.0.0.1", out: "spans.jsonl", verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--port") args.port = Number(value());
    else if (a === "--host") args.host = value();
    else if (a === "--out") args.out = value();
    else if (a === "--verbose") args.verbose = true;
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) usage("--port must be 0..65535");
  return args;
}

function usage(problem) {
  process.stderr.write(`otlp receiver: ${problem}\nusage: node receiver.mjs [--port 0] [--host 127.0.0.1] [--out spans.jsonl] [--verbose]\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const outFile = path.resolve(args.out);
const rejectedFile = path.join(path.dirname(outFile), "rejected.jsonl");
fs.mkdirSync(path.dirname(outFile), { recursive: true });
const log = (...what) => args.verbose && process.stderr.write(`otlp receiver: ${what.join(" ")}\n`);

// Spans already in --out (a restarted receiver) are part of what GET /spans returns.
const readJsonl = (file) => {
  try {
    return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch (e) {
    if (e.code === "ENOENT") return [];
    throw e;
  }
};
const spans = readJsonl(outFile);
const rejected = readJsonl(rejectedFile);
const control = { fail: 0, status: 503, retry_after: null, delay_ms: 0 };
const counters = { requests: 0, accepted: 0, rejected: 0, failed: 0 };

function send(res, status, body, type = "application/json", headers = {}) {
  const bytes = Buffer.isBuffer(body) || body instanceof Uint8Array ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "Content-Type": type, "Content-Length": bytes.length, ...headers });
  res.end(bytes);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error(`body over ${MAX_BODY} bytes`), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function controlState() {
  return { ...control, ...counters, spans: spans.length };
}

function recordRejection(contentType, message, raw) {
  let body;
  if (contentType === "json") {
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      body = raw.toString("utf8").slice(0, 65536);
    }
  } else {
    body = raw.toString("base64").slice(0, 65536);
  }
  const entry = { time: new Date().toISOString(), contentType, message, body };
  rejected.push(entry);
  fs.appendFileSync(rejectedFile, JSON.stringify(entry) + "\n");
}

async function exportTraces(req, res) {
  counters.requests++;
  const mediaType = (req.headers["content-type"] || "").split(";")[0].trim().toLowerCase();
  const kind = mediaType === "application/json" ? "json" : mediaType === "application/x-protobuf" ? "protobuf" : null;
  const errorAnswer = (status, code, message, headers = {}) =>
    kind === "protobuf"
      ? send(res, status, encodeStatus(code, message), "application/x-protobuf", headers)
      : send(res, status, { code, message }, "application/json", headers);

  let raw = await readBody(req);
  if (control.delay_ms > 0) await new Promise((r) => setTimeout(r, control.delay_ms));
  if (control.fail > 0) {
    control.fail--;
    counters.failed++;
    const headers = control.retry_after != null ? { "Retry-After": String(control.retry_after) } : {};
    log(`injected failure ${control.status} (${control.fail} left)`);
    return errorAnswer(control.status, RPC_CODE[control.status] ?? 2, "injected failure (POST /_control)", headers);
  }
  if (!kind) {
    counters.rejected++;
    return send(res, 415, { code: 3, message: `unsupported Content-Type ${JSON.stringify(mediaType)}: use application/json or application/x-protobuf` });
  }
  const reject = (message) => {
    counters.rejected++;
    recordRejection(kind, message, raw);
    log(`rejected: ${message}`);
    return errorAnswer(400, 3, message);
  };
  const encoding = (req.headers["content-encoding"] || "identity").toLowerCase();
  try {
    if (encoding === "gzip") raw = zlib.gunzipSync(raw);
    else if (encoding !== "identity") return reject(`unsupported Content-Encoding ${encoding}`);
  } catch (e) {
    return reject(`bad gzip body: ${e.message}`);
  }

  let result;
  try {
    if (kind === "json") {
      let json;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch (e) {
        return reject(`body is not JSON: ${e.message}`);
      }
      result = checkJson(json);
    } else {
      result = checkProtobuf(raw);
    }
  } catch (e) {
    if (e instanceof OtlpError) return reject(e.message);
    throw e;
  }
  if (result.spans.length) {
    fs.appendFileSync(outFile, result.spans.map((s) => JSON.stringify(s) + "\n").join(""));
    spans.push(...result.spans);
  }
  counters.accepted++;
  log(`accepted ${result.spans.length} span(s)`);
  if (kind === "protobuf") return send(res, 200, emptyResponseBytes(), "application/x-protobuf");
  return send(res, 200, { partialSuccess: {} });
}

async function setControl(req, res) {
  let body;
  try {
    body = JSON.parse((await readBody(req)).toString("utf8") || "{}");
  } catch (e) {
    return send(res, 400, { message: `body is not JSON: ${e.message}` });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return send(res, 400, { message: "expected a JSON object" });
  const known = new Set(["fail", "status", "retry_after", "delay_ms"]);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length) return send(res, 400, { message: `unknown setting(s): ${unknown.join(", ")}` });
  const nonNegative = (k) => body[k] === undefined || (Number.isInteger(body[k]) && body[k] >= 0);
  if (!nonNegative("fail") || !nonNegative("delay_ms") || (body.retry_after !== null && !nonNegative("retry_after"))) {
    return send(res, 400, { message: "fail, delay_ms and retry_after are non-negative integers" });
  }
  if (body.status !== undefined && !(Number.isInteger(body.status) && body.status >= 400 && body.status <= 599)) {
    return send(res, 400, { message: "status is an HTTP error status (400..599)" });
  }
  if (body.fail !== undefined) {
    control.fail = body.fail;
    control.status = body.status ?? 503;
    control.retry_after = body.retry_after ?? null;
  } else {
    if (body.status !== undefined) control.status = body.status;
    if (body.retry_after !== undefined) control.retry_after = body.retry_after;
  }
  if (body.delay_ms !== undefined) control.delay_ms = body.delay_ms;
  log(`control ${JSON.stringify(control)}`);
  return send(res, 200, controlState());
}

async function handle(req, res) {
  const url = new URL(req.url, "http://receiver");
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case "POST /v1/traces":
      return exportTraces(req, res);
    case "GET /spans":
      return send(res, 200, spans);
    case "DELETE /spans":
      spans.length = 0;
      fs.writeFileSync(outFile, "");
      return send(res, 200, { deleted: true });
    case "GET /rejected":
      return send(res, 200, rejected);
    case "DELETE /rejected":
      rejected.length = 0;
      fs.writeFileSync(rejectedFile, "");
      return send(res, 200, { deleted: true });
    case "GET /_control":
      return send(res, 200, controlState());
    case "POST /_control":
      return setControl(req, res);
    case "GET /healthz":
      return send(res, 200, { status: "ok" });
    default: {
      const known = ["/v1/traces", "/spans", "/rejected", "/_control", "/healthz"].includes(url.pathname);
      return send(res, known ? 405 : 404, { message: known ? "method not allowed" : "not found" });
    }
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    process.stderr.write(`otlp receiver: ${req.method} ${req.url}: ${e.stack || e}\n`);
    if (!res.headersSent) send(res, e.status || 500, { code: 13, message: String(e.message || e) });
    else res.destroy();
  });
});
server.keepAliveTimeout = 30_000;
server.on("error", (e) => {
  process.stderr.write(`otlp receiver: ${e.message}\n`);
  process.exit(1);
});
server.listen(args.port, args.host, () => {
  const { port } = server.address();
  const host = args.host.includes(":") ? `[${args.host}]` : args.host;
  process.stdout.write(JSON.stringify({ port, endpoint: `http://${host}:${port}` }) + "\n");
  log(`spans -> ${outFile}`);
});
for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
