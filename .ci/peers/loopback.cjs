// Preloaded with `node --require ./loopback.cjs`: every server that calls listen(port) with no
// host (all the atproto services do) binds 127.0.0.1 instead of every interface.
const net = require('node:net')
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (first === undefined || typeof first === 'function') {
    args.unshift(0, '127.0.0.1')
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1')
  } else if (first && typeof first === 'object' && !first._handle && !first.fd &&
             first.path === undefined && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}
