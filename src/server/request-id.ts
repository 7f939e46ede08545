// The request id every log line of a request carries (pino's reqId) and the answer sends back
// as X-Request-Id, so a patient's "код ошибки" or a balancer's log line leads to the server's
// lines. An id arriving in X-Request-Id is kept only from a trusted proxy (TRUST_PROXY, e.g.
// nginx's $request_id) and only if it is short and plain; otherwise the server makes one. It
// names nothing about the patient.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { Config } from './config.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a proxy's id may look like: letters, digits, - _ . : and at most 64 of them. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The incoming id if the peer is trusted and the id is sane, else null. */
export function acceptedRequestId(header: string | string[] | undefined, peerTrusted: boolean): string | null {
  if (!peerTrusted || typeof header !== 'string') return null;
  return SANE_ID.test(header) ? header : null;
}

/** Whether the connection's peer is a proxy TRUST_PROXY trusts (any hop count trusts the immediate peer). */
export function trustedPeer(trustProxy: Config['trustProxy']): (address: string | undefined) => boolean {
  if (trustProxy === false) return () => false;
  if (trustProxy === true || typeof trustProxy === 'number') return () => true;
  const list = new BlockList();
  for (const entry of trustProxy) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    if (!address) return false;
    // An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Fastify's genReqId: the trusted proxy's id, else a new UUID. */
export function requestIdGenerator(trustProxy: Config['trustProxy']): (req: IncomingMessage) => string {
  const trusted = trustedPeer(trustProxy);
  return (req) => acceptedRequestId(req.headers[REQUEST_ID_HEADER], trusted(req.socket.remoteAddress)) ?? randomUUID();
}
