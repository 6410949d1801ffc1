// The Amazon-provided resolver of one VPC on the wire: DNS messages parsed and written by dns-packet, over UDP and TCP
// on port 53 of the VPC's base + 2. It answers from the VPC's zone (dns.ts) as a recursive resolver does: each CNAME of
// a chain, then the last name's A records; AAAA and other types get an empty answer (NOERROR) for a name that exists,
// as the model is IPv4; NXDOMAIN for a name (or the end of a chain) without records; SERVFAIL for a chain that loops or
// is too long. TTLs are the records' own: 5 s for Aurora's names (Aurora's DNS zones), a Route 53 record's TTL, and
// 60 s where AWS documents none (an endpoint's names). Used by the dns agent only.
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import dnsPacket, { type Answer, type Packet, type Question } from 'dns-packet';
import { follow, type Zone } from './dns.js';

type Followed = ReturnType<typeof follow>;

/** The TTL of a name with none known: AWS documents no TTL for an endpoint's names. */
export const DEFAULT_TTL = 60;

/** Response codes, in the header's low four bits. */
const RCODE = { noError: 0, serverFailure: 2, nameError: 3 } as const;

/** The reply to one DNS query, or undefined for a message that is not a query with one question. */
export function answer(query: Buffer, zone: Zone): Buffer | undefined {
  let packet: Packet;
  try {
    packet = dnsPacket.decode(query);
  } catch {
    return undefined;
  }
  const question = packet.questions?.[0];
  if (packet.type !== 'query' || !question) return undefined;
  const found = follow(zone, question.name);
  const ttls = zone.ttls ?? {};
  const answers = answersFor(
    question,
    found,
    (name) => (Object.hasOwn(ttls, name) ? ttls[name] : undefined) ?? DEFAULT_TTL,
  );
  const rcode = !found ? RCODE.serverFailure : found.addresses ? RCODE.noError : RCODE.nameError;
  const recursionDesired = (packet.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  return dnsPacket.encode({
    type: 'response',
    id: packet.id,
    flags: recursionDesired | dnsPacket.RECURSION_AVAILABLE | rcode,
    questions: [question],
    answers,
  });
}

/** Each CNAME of the chain from the question's name, then (for A) the last name's addresses. */
function answersFor(question: Question, found: Followed | undefined, ttl: (name: string) => number): Answer[] {
  const names = found?.names ?? [];
  const owner = (k: number) => (k ? (names[k] ?? '') : question.name);
  const answers: Answer[] = names
    .slice(1)
    .map((target, k) => ({ type: 'CNAME', name: owner(k), ttl: ttl(names[k] ?? ''), data: target }));
  const last = names.length - 1;
  if (question.type === 'A')
    for (const ip of found?.addresses ?? [])
      answers.push({ type: 'A', name: owner(last), ttl: ttl(names[last] ?? ''), data: ip });
  return answers;
}

/**
 * Serves `zone()` (read for every query: a fault may change it) on `address`:53 over UDP and TCP; calls `ready` once
 * both listen, `failed` with the reason.
 */
export function serve(address: string, zone: () => Zone, ready: () => void, failed: (reason: string) => void): void {
  let listening = 0;
  const up = () => ++listening === 2 && ready();
  const udp = createSocket('udp4');
  udp.on('message', (query, from) => {
    const reply = answer(query, zone());
    if (reply) udp.send(reply, from.port, from.address);
  });
  udp.on('error', (e) => failed(`the resolver cannot listen on ${address}:53 (UDP): ${e.message}`));
  udp.bind(53, address, up);
  const tcp = createServer((socket) => serveStream(socket, zone));
  tcp.on('error', (e) => failed(`the resolver cannot listen on ${address}:53 (TCP): ${e.message}`));
  tcp.listen(53, address, up);
}

/** DNS over TCP: each message behind its two-byte length, as many as the client sends on the connection. */
function serveStream(socket: Socket, zone: () => Zone): void {
  let pending = Buffer.alloc(0);
  socket.setTimeout(10_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const length = pending.readUInt16BE(0);
      const reply = answer(pending.subarray(2, 2 + length), zone());
      pending = pending.subarray(2 + length);
      if (!reply) return void socket.destroy();
      const framed = Buffer.alloc(2 + reply.length);
      framed.writeUInt16BE(reply.length, 0);
      reply.copy(framed, 2);
      socket.write(framed);
    }
  });
}
