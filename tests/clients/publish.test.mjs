// The vendor's JavaScript snippet (global fetch with a literal JSON string body) against prm-mock,
// plus the Go snippet's pretty-printed body. Run: PRM_MOCK_BIN=build/prm-mock node --test FILE
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const API_KEY = 'pk-node-client-test';
const BIN = process.env.PRM_MOCK_BIN;

let child;
let tempDir;
let stderr = '';
let exited; // resolves with {code, signal} when the child exits
let baseUrl;

// Starts prm-mock on port 0 and polls its port file until it appears (with a deadline).
async function startMock() {
  assert.ok(BIN, 'PRM_MOCK_BIN must point at the built prm-mock binary');
  accessSync(BIN, fsConstants.X_OK);
  tempDir = mkdtempSync(join(tmpdir(), 'prm-mock-node-'));
  const portFile = join(tempDir, 'port');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRM_MOCK_')));
  child = spawn(BIN, ['--port', '0', '--port-file', portFile, '--quiet', '--api-key', API_KEY],
    { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (d) => { stderr += d; });
  exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ error: String(error) })); // e.g. spawn ENOENT
  });
  let exitInfo = null;
  exited.then((info) => { exitInfo = info; });
  const deadline = Date.now() + 20000;
  for (;;) {
    if (exitInfo) throw new Error(`prm-mock exited early (${JSON.stringify(exitInfo)}): ${stderr}`);
    let text = null;
    try { text = readFileSync(portFile, 'ascii'); } catch (e) { if (e.code !== 'ENOENT') throw e; }
    if (text !== null) {
      assert.match(text, /^[0-9]+\n$/, `port file content ${JSON.stringify(text)}`);
      return `http://127.0.0.1:${Number(text)}/api`;
    }
    if (Date.now() > deadline) throw new Error(`no port file after 20 s; stderr: ${stderr}`);
    await delay(10); // polling interval, not synchronisation
  }
}

// Stops the child by its PID: SIGTERM, wait, SIGKILL after a timeout. Returns the exit info.
async function stopMock() {
  if (!child) return null;
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }, 15000);
    const info = await exited;
    clearTimeout(timer);
    return info;
  }
  return exited;
}

// Safety net: if the test process dies before `after` runs, do not leave the server behind.
process.on('exit', () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

// The snippet's body, as a literal JSON string on one line.
const literalBody = '{"registryRef":"acme/marketing","artifact":{"prompt":"welcome-email","version":"1.2.3",' +
  '"model":"gpt-4o","compiled":"Hello {{name}}","hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",' +
  '"schema":{},"components":{},"metadata":{}}}';

// The Go snippet's body: a literal string with "\n" and two-space indentation.
const prettyBody = '{\n  "registryRef": "acme/marketing",\n  "artifact": {\n    "prompt": "welcome-email",\n' +
  '    "version": "1.2.3",\n    "model": "gpt-4o",\n    "compiled": "Hello {{name}}",\n' +
  '    "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",\n' +
  '    "schema": {},\n    "components": {},\n    "metadata": {}\n  }\n}';

const snippetHeaders = { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' };

async function publish(body, headers = snippetHeaders) {
  const response = await fetch(`${baseUrl}/registries/artifacts`, { method: 'POST', headers, body });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { assert.fail(`response body is not JSON: ${text}`); }
  return { response, json, text };
}

function assertEcho({ response, json, text }) {
  assert.equal(response.status, 200, text);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  assert.ok(response.headers.get('x-request-id'));
  assert.equal(json.registryRef, 'acme/marketing');
  assert.equal(json.prompt, 'welcome-email');
  assert.equal(json.version, '1.2.3');
  assert.equal(json.model, 'gpt-4o');
  assert.equal(json.hash, '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
  assert.equal(typeof json.id, 'string');
  assert.ok(json.id.length > 0);
}

describe('vendor JavaScript snippet against prm-mock', () => {
  before(async () => { baseUrl = await startMock(); });
  after(async () => {
    const info = await stopMock();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    assert.deepEqual(info, { code: 0, signal: null }, `prm-mock did not exit 0 on SIGTERM; stderr: ${stderr}`);
  });

  test('the snippet body as a literal JSON string is accepted and echoed', async () => {
    assertEcho(await publish(literalBody));
  });

  test('the Go snippet pretty-printed body is accepted', async () => {
    assert.ok(prettyBody.includes('\n  "artifact"'));
    assertEcho(await publish(prettyBody));
  });

  test('charset parameter and lower-case header names are accepted', async () => {
    assertEcho(await publish(literalBody, { 'x-api-key': API_KEY, 'content-type': 'application/json; charset=utf-8' }));
  });

  test('a missing artifact.hash is a 400 with the pointer', async () => {
    const body = JSON.parse(literalBody);
    delete body.artifact.hash;
    const { response, json, text } = await publish(JSON.stringify(body));
    assert.equal(response.status, 400, text);
    assert.equal(json.code, 'CONTRACT_VIOLATION');
    assert.equal(typeof json.message, 'string');
    assert.equal(json.requestId, response.headers.get('x-request-id'));
    const hit = json.violations.filter((v) => v.pointer === '/artifact/hash');
    assert.equal(hit.length, 1, text);
    assert.equal(hit[0].keyword, 'required');
  });

  test('a wrong key is 401', async () => {
    const { response, json, text } = await publish(literalBody, { ...snippetHeaders, 'X-API-Key': 'nope' });
    assert.equal(response.status, 401, text);
    assert.equal(json.code, 'UNAUTHORIZED');
  });

  test('fetch with a string body and no Content-Type (text/plain) is 415', async () => {
    const { response, json, text } = await publish(literalBody, { 'X-API-Key': API_KEY });
    assert.equal(response.status, 415, text);
    assert.equal(json.code, 'UNSUPPORTED_MEDIA_TYPE');
  });
});
