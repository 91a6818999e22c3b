import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayUrl, httpError, unreachableError } from './server-errors.js';
import { serverRoot } from './openai-client.js';

const ctx = { url: 'https://user:secret@llm.example.test', model: 'qwen2.5-7b', hadKey: true, what: 'the answer' };

test('addresses are shown without credentials and normalised to the server root', () => {
  assert.equal(displayUrl('https://user:secret@llm.example.test/'), 'https://llm.example.test');
  assert.equal(serverRoot('http://127.0.0.1:8000/v1/'), 'http://127.0.0.1:8000');
  assert.throws(() => serverRoot('ftp://x'), /must start with http/);
  assert.throws(() => serverRoot('not a url'), /not a server address/);
});

test("each failure says what happened and what to do, in the server's words where it gave some", () => {
  const auth = httpError(401, '{"error":{"message":"Invalid API Key","type":"authentication_error"}}', ctx);
  assert.equal(auth.code, 'server-auth');
  assert.match(auth.message, /refused the API key \(401: Invalid API Key\)/);
  assert.doesNotMatch(auth.message, /secret/);
  assert.match(httpError(401, '', { ...ctx, hadKey: false }).message, /needs an API key/);

  const missing = httpError(404, '{"object":"error","message":"The model `qwen2.5-7b` does not exist.","code":404}', ctx);
  assert.equal(missing.code, 'model-missing');
  // A server failure that merely mentions "model" is not a missing model.
  const failed = httpError(500, '{"error":{"code":500,"message":"The model produced output that does not match the expected peg-native format"}}', ctx);
  assert.equal(failed.code, 'server-error');
  assert.match(failed.message, /failed on the answer \(500: The model produced output/);

  const tooLong = httpError(
    400,
    '{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}}',
    ctx,
  );
  assert.equal(tooLong.code, 'invalid-input');
  assert.match(tooLong.message, /do not fit the server model's context/);
  const vllm = httpError(400, `{"message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens"}`, ctx);
  assert.match(vllm.message, /do not fit/);

  assert.match(httpError(404, 'Not Found', { ...ctx, model: undefined, what: 'the model list' }).message, /does not offer the model list \(404\)/);
  assert.equal(httpError(500, 'boom', ctx).code, 'server-error');
});

test('network failures are told apart: refused, unknown host, time-out', () => {
  const refused = unreachableError('http://127.0.0.1:9', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
  assert.match(refused.message, /could not reach the answer server at http:\/\/127\.0\.0\.1:9 \(connection refused/);
  assert.match(unreachableError('http://x.invalid', { cause: { code: 'ENOTFOUND' } }).message, /could not be resolved/);
  assert.match(unreachableError('http://127.0.0.1:9', new Error('x'), 15).message, /did not respond within 15 s/);
});
