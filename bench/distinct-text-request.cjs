// autocannon setupRequest (loaded by path in its worker thread, hence CommonJS): replaces `[<id>]` in the body with
// an id unique to this request. autocannon's own `idReplacement` miscounts Content-Length for its ids (autocannon
// 8: it reserves 27 bytes more per id than it writes), so a server waits for bytes that never come.
const { randomBytes } = require('node:crypto');

const prefix = randomBytes(6).toString('hex');
let count = 0;
let base;

module.exports = function distinctText(request) {
  if (base === undefined) base = request.body;
  count += 1;
  return { ...request, body: base.replaceAll('[<id>]', `${prefix}-${count}`) };
};
