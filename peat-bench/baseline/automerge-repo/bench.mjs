// automerge-repo baseline for peat-bench's loopback cases.
//
//   node bench.mjs <case> [--timeout <seconds>]
//
// This process only orchestrates: it forks peer A (a Repo behind a WebSocketServerAdapter on
// 127.0.0.1, the writer) and peer B (a Repo with a WebSocketClientAdapter connected to A, the
// reader), both without a storage adapter (documents live in the Repo's memory only), waits until
// each sees the other, tells A to write, and waits until B holds A's final state. It prints one line
// `RESULT <json>` on stdout; progress goes to stderr. See README.md for what each value means.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomBytes, randomFillSync } from "node:crypto";

/** The cases, by name, as peat-bench's LoopbackTrial writes them. */
const CASES = {
  docs: "1,000 new documents, 400-byte payload each",
  "changes-1k": "1,000 changes to one document (a counter increment and a field set each)",
  changes: "10,000 changes to one document (a counter increment and a field set each)",
  "changes-100k": "100,000 changes to one document (a counter increment and a field set each)",
  "text-one": "10 MiB of text in one change",
  "text-appends": "10 MiB of text as 10 appends of 1 MiB",
  "big-doc": "a 50 MB document: 763 changes of 64 KiB bytes",
};
const CHANGES = { "changes-1k": 1_000, changes: 10_000, "changes-100k": 100_000 };
const DOCS = 1_000;
const MiB = 1 << 20;

// The Repo's own copies of Automerge's types, set by peer() before any write.
let Counter;
let ImmutableString;
let splice;

if (process.argv[2] === "--role") {
  await peer(process.argv[3], process.argv[4], process.argv[5]);
} else {
  await orchestrate(process.argv.slice(2));
}

// ---------------------------------------------------------------- the parent process

async function orchestrate(args) {
  const name = args[0];
  const t = args.indexOf("--timeout");
  const timeout = t >= 0 ? Number(args[t + 1]) : 240;
  if (!(name in CASES) || !(timeout > 0)) {
    console.error(`usage: node bench.mjs <case> [--timeout <seconds>]; the cases are ${Object.keys(CASES).join(", ")}`);
    process.exit(2);
  }
  const row = { case: name, transport: "automerge-repo" };
  const children = [];
  let failed;
  const exited = new Promise((_, reject) => {
    failed = reject;
  });
  exited.catch(() => {});
  const start = (role, ...rest) => {
    const c = fork(new URL(import.meta.url).pathname, ["--role", role, name, ...rest], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const inbox = [];
    const waiting = [];
    c.on("message", m => {
      const i = waiting.findIndex(w => w.type === m.type);
      if (i >= 0) waiting.splice(i, 1)[0].resolve(m);
      else inbox.push(m);
    });
    c.on("exit", (code, signal) => {
      c.gone = true;
      failed(new Error(`peer ${role.toUpperCase()} exited (${signal ?? "code " + code}) before the end`));
    });
    c.next = type => {
      const i = inbox.findIndex(m => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
      return new Promise(resolve => waiting.push({ type, resolve }));
    };
    children.push(c);
    return c;
  };
  const deadline = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(what)), ms).unref());
  const step = (p, ms, what) => Promise.race([p, exited, deadline(ms, what)]);
  let a;
  let b;
  try {
    console.error(`automerge-repo ${name}: ${CASES[name]}`);
    a = start("a");
    const { port } = await step(a.next("listening"), 30_000, "peer A did not listen within 30 s");
    b = start("b", String(port));
    await step(Promise.all([a.next("connected"), b.next("connected")]), 30_000, "A and B did not connect within 30 s");
    const sent = process.hrtime.bigint();
    a.send({ type: "go" });
    const [written, done] = await step(Promise.all([a.next("written"), b.next("done")]), timeout * 1000,
      `not converged within ${timeout} s`);
    const received = process.hrtime.bigint();
    // One clock: process.hrtime is CLOCK_MONOTONIC, the same in every process of this machine.
    row.seconds = Number(BigInt(done.at) - BigInt(written.t0)) / 1e9;
    row["write seconds"] = Number(BigInt(written.t1) - BigInt(written.t0)) / 1e9;
    row["parent seconds"] = Number(received - sent) / 1e9;
    Object.assign(row, done.values);
  } catch (e) {
    row.error = e.message;
  }
  // What each peer sent and its memory, also after a failure, from whichever peer can still answer.
  for (const [c, from, to] of [[a, "a", "b"], [b, "b", "a"]]) {
    if (!c || c.gone) continue;
    c.send({ type: "report" });
    try {
      const s = await Promise.race([c.next("stats"), deadline(10_000, "no stats")]);
      row[`${from}>${to} MB`] = s.sentBytes / 1e6;
      row[`${from}>${to} messages`] = s.sentMessages;
      row[`${from}>${to} wire MB`] = s.wireBytes / 1e6;
      row[`${from} peak RSS MiB`] = s.hwmKiB / 1024;
      row[`${from} cpu s`] = s.cpuSeconds;
      row.versions = s.versions;
    } catch {
      // a peer still busy (a timeout) has no stats; its columns stay empty
    }
  }
  if (row["a peak RSS MiB"] !== undefined && row["b peak RSS MiB"] !== undefined) {
    row["peak RSS MiB"] = row["a peak RSS MiB"] + row["b peak RSS MiB"];
    row["cpu s"] = row["a cpu s"] + row["b cpu s"];
  }
  for (const c of children) {
    c.removeAllListeners("exit");
    if (!c.gone) c.kill("SIGKILL");
  }
  console.log("RESULT " + JSON.stringify(row));
  process.exit(0);
}

// ---------------------------------------------------------------- the peers

async function peer(role, name, port) {
  // A peer whose parent went away ends too.
  process.on("disconnect", () => process.exit(1));
  const { WebSocket, WebSocketServer } = await import("ws");
  const counted = countSends(WebSocket);
  const repoModule = await import("@automerge/automerge-repo");
  const { Repo } = repoModule;
  ({ Counter, ImmutableString, splice } = repoModule);
  const { WebSocketServerAdapter, WebSocketClientAdapter } = await import("@automerge/automerge-repo-network-websocket");
  // cbor-x (the Repo's message encoding) decodes strings natively when cbor-extract built here.
  const cborNative = (await import("cbor-x")).isNativeAccelerationEnabled;
  const cpu0 = process.cpuUsage();
  let repo;
  if (role === "a") {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise(resolve => wss.on("listening", resolve));
    repo = new Repo({ network: [new WebSocketServerAdapter(wss)], peerId: "a" });
    process.send({ type: "listening", port: wss.address().port });
  } else {
    repo = new Repo({ network: [new WebSocketClientAdapter(`ws://127.0.0.1:${port}`)], peerId: "b" });
  }
  while (repo.peers.length === 0) {
    await sleep(10);
  }
  process.on("message", m => {
    if (m.type === "go") {
      const t0 = process.hrtime.bigint();
      write(repo, name);
      process.send({ type: "written", t0: String(t0), t1: String(process.hrtime.bigint()) });
    } else if (m.type === "report") {
      const u = process.cpuUsage(cpu0);
      process.send({
        type: "stats", ...counted.totals(), hwmKiB: procStatusKiB("VmHWM:"), cpuSeconds: (u.user + u.system) / 1e6,
        versions: { node: process.version, ...versions(), "cbor-x native": cborNative },
      });
    }
  });
  process.send({ type: "connected" });
  if (role === "b") {
    const { at, values } = await converged(repo, name);
    process.send({ type: "done", at: String(at), values });
  }
}

/** A's writes: the first one starts the clock (the caller's t0). */
function write(repo, name) {
  if (name === "docs") {
    for (let i = 0; i < DOCS; i++) {
      repo.create({ payload: new ImmutableString(letters(400)) });
    }
  } else if (name in CHANGES) {
    const n = CHANGES[name];
    const h = repo.create({ count: new Counter(0) });
    for (let i = 1; i <= n; i++) {
      h.change(d => {
        d.count.increment(1);
        d.last = i;
        if (i === n) d.done = true;
      });
    }
  } else if (name === "text-one") {
    repo.create({ text: letters(10 * MiB), done: true });
  } else if (name === "text-appends") {
    const h = repo.create({ text: "" });
    for (let i = 0; i < 10; i++) {
      const chunk = letters(MiB);
      h.change(d => {
        splice(d, ["text"], i * MiB, 0, chunk);
        if (i === 9) d.done = true;
      });
    }
  } else if (name === "big-doc") {
    const blob = () => randomFillSync(new Uint8Array(64 * 1024));
    const h = repo.create({ "blob-0": blob() });
    for (let i = 1; i < 763; i++) {
      const bytes = blob();
      h.change(d => {
        d[`blob-${i}`] = bytes;
        if (i === 762) d.done = true;
      });
    }
  }
}

/** B's side: polls its handles every 5 ms until it holds A's final state; returns when (hrtime). */
async function converged(repo, name) {
  const complete = new Set();
  for (;;) {
    for (const [id, h] of Object.entries(repo.handles)) {
      if (complete.has(id) || !h.isReady()) continue;
      const d = h.doc();
      if (name === "docs" ? d.payload !== undefined : d.done === true) complete.add(id);
    }
    if (name === "docs" ? complete.size >= DOCS : complete.size > 0) {
      const at = process.hrtime.bigint();
      const values = {};
      if (name === "docs") {
        values.arrived = complete.size;
      } else if (name in CHANGES) {
        values["counter at b"] = repo.handles[[...complete][0]].doc().count.value;
      }
      return { at, values };
    }
    await sleep(5);
  }
}

/**
 * Counts what this process sends over its WebSockets: every application message (one `send` is one
 * WebSocket message, payload bytes) and, at the end, the bytes the TCP sockets under them wrote
 * (framing and pings included).
 */
function countSends(WebSocket) {
  const sockets = new Set();
  let bytes = 0;
  let messages = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data, ...rest) {
    sockets.add(this);
    bytes += data.byteLength ?? Buffer.byteLength(data);
    messages++;
    return send.call(this, data, ...rest);
  };
  return {
    totals: () => ({
      sentBytes: bytes,
      sentMessages: messages,
      wireBytes: [...sockets].reduce((sum, s) => sum + (s._socket?.bytesWritten ?? 0), 0),
    }),
  };
}

/** n random lowercase letters. */
function letters(n) {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) b[i] = 97 + (b[i] % 26);
  return b.toString("latin1");
}

function procStatusKiB(field) {
  const line = readFileSync("/proc/self/status", "utf8").split("\n").find(l => l.startsWith(field));
  return line ? Number(line.slice(field.length).trim().split(/\s+/)[0]) : NaN;
}

function versions() {
  const v = {};
  for (const p of ["@automerge/automerge-repo", "@automerge/automerge-repo-network-websocket", "@automerge/automerge", "ws", "cbor-x"]) {
    const file = new URL(`./node_modules/${p}/package.json`, import.meta.url);
    v[p] = JSON.parse(readFileSync(file, "utf8")).version;
  }
  return v;
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
