#!/usr/bin/env node
// Self-check of receiver.mjs (no C++ needed): starts it on a free port with its files in a temp dir,
// sends a hand-written OTLP/JSON export (a server span and its client child) and a series of broken
// ones, and checks what it accepts, rejects and stores. Prints ok/FAIL lines and then
// "N passed, M failed"; exit status 0 only if everything passed.   node selfcheck.mjs [--verbose]

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { ExportTraceServiceRequest, ExportTraceServiceResponse } from "./otlp.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const verbose = process.argv.includes("--verbose");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "otlp-selfcheck-"));
const outFile = path.join(work, "spans.jsonl");
const rejectedFile = path.join(work, "rejected.jsonl");

const TRACE_ID = "5b8efff798038103d269b633813fc60c";
const SERVER_SPAN = "eee19b7ec3c1b174";
const CLIENT_SPAN = "a3c2f1e0d9b8a776";
const T0 = 1718000000000000000n;

// Written by hand from the OTLP/JSON rules: hex ids, lowerCamelCase keys, enums as integers,
// 64-bit integers as decimal strings, AnyValue with one value field.
function validRequest() {
  return {
    resourceSpans: [{
      resource: {
        attributes: [
          { key: "service.name", value: { stringValue: "auth" } },
          { key: "service.version", value: { stringValue: "0.1.0" } },
        ],
      },
      scopeSpans: [{
        scope: { name: "auth", version: "0.1.0" },
        spans: [
          {
            traceId: TRACE_ID,
            spanId: SERVER_SPAN,
            parentSpanId: "",
            name: "POST /api/v1/auth/login",
            kind: 2,
            startTimeUnixNano: String(T0),
            endTimeUnixNano: String(T0 + 12_000_000n),
            attributes: [
              { key: "http.request.method", value: { stringValue: "POST" } },
              { key: "http.response.status_code", value: { intValue: "200" } },
              { key: "http.request_id", value: { stringValue: "0af7651916cd43dd8448eb211c80319c" } },
              { key: "auth.new_user", value: { boolValue: false } },
              { key: "auth.score", value: { doubleValue: 0.5 } },
              { key: "auth.scopes", value: { arrayValue: { values: [{ stringValue: "openid" }, { stringValue: "email" }] } } },
            ],
            events: [{ timeUnixNano: String(T0 + 1_000_000n), name: "password.verified", attributes: [] }],
            status: { code: 1 },
          },
          {
            traceId: TRACE_ID,
            spanId: CLIENT_SPAN,
            parentSpanId: SERVER_SPAN,
            name: "SELECT auth",
            kind: 3,
            startTimeUnixNano: String(T0 + 2_000_000n),
            endTimeUnixNano: String(T0 + 3_500_000n),
            attributes: [
              { key: "db.system.name", value: { stringValue: "postgresql" } },
              { key: "db.response.returned_rows", value: { intValue: 1 } },  // a number: tolerated
              { key: "server.port", value: { intValue: "55432" } },
              { key: "error", value: { boolValue: true } },
            ],
            status: { code: 2, message: "deadline exceeded" },
          },
        ],
      }],
    }],
  };
}

// --- the receiver -------------------------------------------------------------------------------

async function startReceiver() {
  const child = spawn(process.execPath, [path.join(here, "receiver.mjs"), "--port", "0", "--out", outFile,
    ...(verbose ? ["--verbose"] : [])], { stdio: ["ignore", "pipe", verbose ? "inherit" : "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => { stderr += d; });
  const line = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once("line", (l) => { rl.close(); resolve(l); });
    child.once("exit", (code) => reject(new Error(`receiver exited (${code}) before listening: ${stderr}`)));
  });
  return { child, ...JSON.parse(line) };
}

let base;
const post = (body, { type = "application/json", encoding } = {}) => fetch(`${base}/v1/traces`, {
  method: "POST",
  headers: { "Content-Type": type, ...(encoding ? { "Content-Encoding": encoding } : {}) },
  body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
});
const getJson = async (p) => (await fetch(base + p)).json();

// --- checks -------------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
function expect(cond, what) {
  if (!cond) throw new Error(what);
}

async function expectRejected(mutate, mentions) {
  const body = validRequest();
  mutate(body);
  const before = fs.existsSync(rejectedFile) ? fs.readFileSync(rejectedFile, "utf8").split("\n").filter(Boolean).length : 0;
  const res = await post(body);
  const answer = await res.json();
  expect(res.status === 400, `status ${res.status}, body ${JSON.stringify(answer)}`);
  expect(answer.code === 3 && typeof answer.message === "string", `body ${JSON.stringify(answer)}`);
  expect(answer.message.includes(mentions), `message ${JSON.stringify(answer.message)} does not mention ${JSON.stringify(mentions)}`);
  const lines = fs.readFileSync(rejectedFile, "utf8").split("\n").filter(Boolean);
  expect(lines.length === before + 1, "no line appended to rejected.jsonl");
  expect(JSON.parse(lines.at(-1)).message === answer.message, "rejected.jsonl line does not carry the message");
}

const span = (b, i = 0) => b.resourceSpans[0].scopeSpans[0].spans[i];

async function main() {
  const receiver = await startReceiver();
  base = receiver.endpoint;
  try {
    await check("prints {port, endpoint} once listening", () => {
      expect(Number.isInteger(receiver.port) && receiver.port > 0, `port ${receiver.port}`);
      expect(receiver.endpoint === `http://127.0.0.1:${receiver.port}`, receiver.endpoint);
    });

    await check("accepts a hand-written export (server span + client child)", async () => {
      const res = await post(validRequest());
      const text = await res.text();
      expect(res.status === 200, `status ${res.status}: ${text}`);
      expect(text === '{"partialSuccess":{}}', text);
      const lines = fs.readFileSync(outFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
      expect(lines.length === 2, `${lines.length} lines in the out file`);
      const [server, client] = lines;
      expect(server.spanId === SERVER_SPAN && server.service === "auth" && server.scope.name === "auth", JSON.stringify(server));
      expect(client.parentSpanId === SERVER_SPAN && client.traceId === TRACE_ID && client.kind === 3, JSON.stringify(client));
      expect(client.status.code === 2, JSON.stringify(client.status));
    });

    await check("GET /spans returns the stored spans", async () => {
      const stored = await getJson("/spans");
      expect(Array.isArray(stored) && stored.length === 2, JSON.stringify(stored).slice(0, 200));
      expect(stored.map((s) => s.name).join("|") === "POST /api/v1/auth/login|SELECT auth", stored.map((s) => s.name).join("|"));
    });

    const rejections = [
      ["rejects base64 ids", (b) => { span(b).traceId = Buffer.from(TRACE_ID, "hex").toString("base64"); }, "traceId"],
      ["rejects a base64 spanId", (b) => { span(b).spanId = Buffer.from(SERVER_SPAN, "hex").toString("base64"); }, "spanId"],
      ["rejects upper-case hex ids", (b) => { span(b).traceId = TRACE_ID.toUpperCase(); }, "lowercase hex"],
      ["rejects an all-zero trace id", (b) => { span(b).traceId = "0".repeat(32); }, "all-zero"],
      ["rejects a short parentSpanId", (b) => { span(b, 1).parentSpanId = "abc"; }, "parentSpanId"],
      ["rejects an unknown field", (b) => { span(b).httpMethod = "POST"; }, "unknown field"],
      ["rejects snake_case field names", (b) => {
        span(b).start_time_unix_nano = span(b).startTimeUnixNano;
        delete span(b).startTimeUnixNano;
      }, "start_time_unix_nano"],
      ["rejects an unknown field in a nested message", (b) => { span(b).status.description = "x"; }, "status.description"],
      ["rejects a string enum (kind)", (b) => { span(b).kind = "SPAN_KIND_SERVER"; }, "kind"],
      ["rejects a string enum (status.code)", (b) => { span(b).status.code = "STATUS_CODE_OK"; }, "status.code"],
      ["rejects an enum value outside the enum", (b) => { span(b).kind = 9; }, "kind"],
      ["rejects a missing service.name", (b) => { b.resourceSpans[0].resource.attributes.shift(); }, "service.name"],
      ["rejects an AnyValue with two values", (b) => { span(b).attributes[0].value.intValue = "1"; }, "oneof"],
      ["rejects an empty AnyValue", (b) => { span(b).attributes[0].value = {}; }, "exactly one"],
      ["rejects an AnyValue whose value has the wrong type", (b) => { span(b).attributes[3].value = { boolValue: "false" }; }, "boolValue"],
      ["rejects start after end", (b) => { span(b).startTimeUnixNano = String(T0 + 13_000_000n); }, "after endTimeUnixNano"],
      ["rejects a 64-bit integer past 2^53 as a JSON number", (b) => { span(b).endTimeUnixNano = Number(T0 + 12_000_000n); }, "decimal strings"],
      ["rejects a non-decimal 64-bit string", (b) => { span(b).startTimeUnixNano = "1.7e18"; }, "startTimeUnixNano"],
      ["rejects a span without a name", (b) => { span(b).name = ""; }, "name"],
      ["rejects an attribute without a key", (b) => { span(b).attributes[0].key = ""; }, "key"],
    ];
    for (const [name, mutate, mentions] of rejections) await check(name, () => expectRejected(mutate, mentions));

    await check("nothing from rejected requests was stored", async () => {
      expect((await getJson("/spans")).length === 2, "spans were stored from a rejected request");
      expect((await getJson("/rejected")).length === rejections.length, "GET /rejected count");
    });

    await check("tolerates numbers for 64-bit integers that fit, and null fields", async () => {
      const b = validRequest();
      span(b).startTimeUnixNano = 1718000000;
      span(b).endTimeUnixNano = 1718000001;
      span(b).traceState = null;
      const res = await post(b);
      expect(res.status === 200, `status ${res.status}: ${await res.text()}`);
    });

    await check("rejects a body that is not JSON, and an unsupported content type", async () => {
      const bad = await post("{not json");
      expect(bad.status === 400, `status ${bad.status}`);
      const text = await post(JSON.stringify(validRequest()), { type: "text/plain" });
      expect(text.status === 415, `status ${text.status}`);
    });

    await check("accepts gzip-encoded OTLP/JSON", async () => {
      const res = await post(zlib.gzipSync(JSON.stringify(validRequest())), { encoding: "gzip" });
      expect(res.status === 200, `status ${res.status}: ${await res.text()}`);
    });

    await check("accepts application/x-protobuf and stores the spans in OTLP/JSON form", async () => {
      await fetch(`${base}/spans`, { method: "DELETE" });
      // Encoded with the generated classes directly (ids as bytes), independent of otlp.mjs' converter.
      const b = validRequest();
      for (const s of b.resourceSpans[0].scopeSpans[0].spans) {
        for (const k of ["traceId", "spanId", "parentSpanId"]) s[k] = Buffer.from(s[k], "hex");
      }
      const bytes = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(b)).finish();
      const res = await post(bytes, { type: "application/x-protobuf" });
      const answer = new Uint8Array(await res.arrayBuffer());
      expect(res.status === 200, `status ${res.status}`);
      expect(res.headers.get("content-type") === "application/x-protobuf", res.headers.get("content-type"));
      ExportTraceServiceResponse.decode(answer);
      const stored = await getJson("/spans");
      expect(stored.length === 2, `${stored.length} spans`);
      expect(stored[1].traceId === TRACE_ID && stored[1].parentSpanId === SERVER_SPAN, JSON.stringify(stored[1]));
      expect(stored[0].startTimeUnixNano === String(T0) && stored[0].kind === 2, JSON.stringify(stored[0]));
      const attrs = Object.fromEntries(stored[0].attributes.map((a) => [a.key, a.value]));
      expect(attrs["http.response.status_code"].intValue === "200" && attrs["auth.new_user"].boolValue === false,
        JSON.stringify(attrs));
    });

    await check("rejects a protobuf request that breaks the rules (start > end), answering a Status", async () => {
      const b = validRequest();
      span(b).startTimeUnixNano = String(T0 + 13_000_000n);
      for (const s of b.resourceSpans[0].scopeSpans[0].spans) {
        for (const k of ["traceId", "spanId", "parentSpanId"]) s[k] = Buffer.from(s[k], "hex");
      }
      const res = await post(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(b)).finish(),
        { type: "application/x-protobuf" });
      const answer = Buffer.from(await res.arrayBuffer());
      expect(res.status === 400, `status ${res.status}`);
      expect(answer[0] === 0x08 && answer[1] === 3 && answer.toString("latin1").includes("after endTimeUnixNano"),
        `Status bytes ${answer.toString("hex")}`);
    });

    await check("rejects garbage sent as protobuf", async () => {
      const res = await post(Buffer.from([0xff, 0xff, 0xff, 0xff]), { type: "application/x-protobuf" });
      expect(res.status === 400, `status ${res.status}`);
    });

    await check("DELETE /spans clears memory and the out file", async () => {
      const res = await fetch(`${base}/spans`, { method: "DELETE" });
      expect(res.status === 200, `status ${res.status}`);
      expect((await getJson("/spans")).length === 0, "spans left");
      expect(fs.readFileSync(outFile, "utf8") === "", "out file not empty");
    });

    await check("POST /_control {fail, status} fails the next N exports, then accepts again", async () => {
      const set = await fetch(`${base}/_control`, { method: "POST", body: JSON.stringify({ fail: 2, status: 503, retry_after: 1 }) });
      expect(set.status === 200, `control status ${set.status}`);
      for (let i = 0; i < 2; i++) {
        const res = await post(validRequest());
        const body = await res.json();
        expect(res.status === 503 && body.code === 14, `attempt ${i}: ${res.status} ${JSON.stringify(body)}`);
        expect(res.headers.get("retry-after") === "1", `Retry-After ${res.headers.get("retry-after")}`);
      }
      const ok = await post(validRequest());
      expect(ok.status === 200, `third attempt ${ok.status}`);
      expect((await getJson("/spans")).length === 2, "failed exports must not store spans");
      const state = await getJson("/_control");
      expect(state.failed === 2 && state.fail === 0, JSON.stringify(state));
    });

    await check("POST /_control {delay_ms} delays answers", async () => {
      await fetch(`${base}/_control`, { method: "POST", body: JSON.stringify({ delay_ms: 300 }) });
      const t = Date.now();
      const res = await post(validRequest());
      const took = Date.now() - t;
      await fetch(`${base}/_control`, { method: "POST", body: JSON.stringify({ delay_ms: 0 }) });
      expect(res.status === 200 && took >= 280, `status ${res.status} after ${took} ms`);
    });

    await check("POST /_control refuses unknown settings", async () => {
      const res = await fetch(`${base}/_control`, { method: "POST", body: JSON.stringify({ fial: 1 }) });
      expect(res.status === 400, `status ${res.status}`);
    });

    await check("a restarted receiver still serves the spans in its out file", async () => {
      receiver.child.kill("SIGTERM");
      await new Promise((r) => receiver.child.once("exit", r));
      const again = await startReceiver();
      base = again.endpoint;
      receiver.child = again.child;
      expect((await getJson("/spans")).length === 4, "spans not reloaded from the out file");
    });
  } finally {
    receiver.child.kill("SIGTERM");
    await new Promise((r) => (receiver.child.exitCode !== null ? r() : receiver.child.once("exit", r)));
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed === 0 && !verbose) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`files kept in ${work}`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.log(`FAIL selfcheck crashed: ${e.stack || e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
