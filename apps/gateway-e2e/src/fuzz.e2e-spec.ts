import fc from 'fast-check';
import { LIMITS } from '@sg/schema';
import { SignalingClient, uniqueName } from '@sg/testing';
import type { RawData } from 'ws';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

// PROTOCOL section 1 under hostile input: random and mutated frames from several peers in
// several rooms over two nodes. Every bad frame gets exactly one `error`, every good signal
// reaches exactly its room's other peer, and nothing crosses rooms.

const MESSAGE_MAX_BYTES = 65_536;
const ROOMS = 4;
/** 8 peers (two per room): 100,000 frames in all. */
const FRAMES_PER_PEER = 12_500;
/**
 * Frames between two barrier pings, and at most two batches unanswered: a signal to a
 * peer this node does not know waits for a directory lookup, and the peer's later
 * frames queue behind it (at most 256, then 1013). The window keeps us under that.
 */
const BATCH = 100;
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_201);
const WAIT_MS = 60_000;

type ErrorCode = 'schema-error' | 'unknown-peer';
type Effect = 'ok' | 'schema' | 'unknown-to';
type Expectation =
  | { kind: 'error'; code: ErrorCode; ref?: string }
  | { kind: 'relay'; seq: number }
  | { kind: 'relay-unmarked' }
  | { kind: 'pong'; t?: number }
  | { kind: 'none' };

interface Frame {
  readonly data: string | Buffer;
  readonly expect: Expectation;
  /** A peer id of another room this frame named in `to`: its error may echo it. */
  readonly foreignTo?: string;
}

/** Values resolved when a frame is rendered, once peer ids are known. */
type Spec =
  | { $: 'chars'; count: number; marked: boolean }
  | { $: 'self' }
  | { $: 'partner' }
  | { $: 'foreign'; i: number }
  | { $: 'literal'; value: unknown };

interface Mutation {
  readonly path: readonly string[];
  readonly value?: Spec;
  readonly remove?: boolean;
  /** Sets the key `__proto__` as an own JSON key, as a hostile client can. */
  readonly protoKey?: boolean;
  readonly effect: Effect;
  /** `candidate: ""` is relayed without the room marker. */
  readonly unmarked?: boolean;
}

type IdChoice = 'fresh' | 'none' | 'max-ascii' | 'astral' | { bad: unknown };
type MessageType = 'offer' | 'answer' | 'candidate' | 'state' | 'stats' | 'ping' | 'bye';

interface MessageRecipe {
  readonly type: MessageType;
  readonly id: IdChoice;
  readonly addressed: boolean;
  readonly options: Record<string, unknown>;
  readonly mutation: Mutation | null;
}

type Recipe =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'corrupt'; message: MessageRecipe; at: number; op: 'truncate' | 'insert' | 'delete'; char: string }
  | { kind: 'message'; message: MessageRecipe };

const KNOWN_TYPES = new Set(['offer', 'answer', 'candidate', 'state', 'stats', 'ping', 'bye']);
/** Code points the validator counts as one character each, escapes and separators included. */
const SPICE = ['é', '中', '😀', '\u0000', '\u2028', '"', '\\', 'ß', '\u{10FFFF}'];
const lit = (value: unknown): Spec => ({ $: 'literal', value });
const WRONG_TYPES = [lit(42), lit(true), lit([]), lit({ nested: { deep: [1, 'x'] } }), lit(-0.5)];
const WRONG_TYPES_OR_NULL = [...WRONG_TYPES, lit(null)];
const PROTOTYPE_KEYS = ['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

const set = (path: string[], value: Spec, effect: Effect, extra: Partial<Mutation> = {}): Mutation => ({ path, value, effect, ...extra });

function stringMutations(field: string, max: number, options: { nullOk: boolean; required: boolean; marked?: boolean }): Mutation[] {
  const marked = options.marked ?? false;
  return [
    ...(options.nullOk ? WRONG_TYPES : WRONG_TYPES_OR_NULL).map((value) => set([field], value, 'schema')),
    ...(options.nullOk ? [set([field], lit(null), 'ok')] : []),
    ...(options.required ? [{ path: [field], remove: true, effect: 'schema' as const }] : []),
    set([field], { $: 'chars', count: max, marked }, 'ok'),
    set([field], { $: 'chars', count: max + 1, marked }, 'schema'),
  ];
}

function toMutations(): Mutation[] {
  return [
    ...WRONG_TYPES_OR_NULL.map((value) => set(['to'], value, 'schema')),
    set(['to'], { $: 'chars', count: LIMITS.peerIdMaxLength + 1, marked: false }, 'schema'),
    set(['to'], { $: 'self' }, 'unknown-to'),
    set(['to'], { $: 'foreign', i: 0 }, 'unknown-to'),
    set(['to'], { $: 'foreign', i: 5 }, 'unknown-to'),
    set(['to'], lit(''), 'unknown-to'),
    set(['to'], { $: 'chars', count: LIMITS.peerIdMaxLength, marked: false }, 'unknown-to'),
    ...['__proto__', ...PROTOTYPE_KEYS].map((key) => set(['to'], lit(key), 'unknown-to')),
  ];
}

const STATE_FIELDS = ['connectionState', 'iceConnectionState', 'signalingState', 'iceGatheringState'];
const STATS_NUMBERS = ['rttMs', 'packetLossPct', 'jitterMs', 'bitrateKbps'];
const STATS_STRINGS = ['localCandidateType', 'remoteCandidateType', 'protocol', 'relayProtocol'];

/** Per type: the mutations of one field and the effect each must have (PROTOCOL section 1). */
const MUTATIONS: Record<MessageType, Mutation[]> = {
  offer: [...stringMutations('sdp', LIMITS.sdpMaxLength, { nullOk: false, required: true, marked: true }), ...toMutations()],
  answer: [...stringMutations('sdp', LIMITS.sdpMaxLength, { nullOk: false, required: true, marked: true }), ...toMutations()],
  candidate: [
    ...stringMutations('candidate', LIMITS.candidateMaxLength, { nullOk: false, required: true, marked: true }),
    set(['candidate'], lit(''), 'ok', { unmarked: true }),
    ...stringMutations('sdpMid', LIMITS.sdpMidMaxLength, { nullOk: true, required: false }),
    ...stringMutations('usernameFragment', LIMITS.usernameFragmentMaxLength, { nullOk: true, required: false }),
    ...[lit(1.5), lit(-1), lit(LIMITS.sdpMLineIndexMax + 1), lit('0'), lit(true), lit([0])].map((v) => set(['sdpMLineIndex'], v, 'schema')),
    ...[lit(null), lit(0), lit(LIMITS.sdpMLineIndexMax)].map((v) => set(['sdpMLineIndex'], v, 'ok')),
    ...toMutations(),
  ],
  state: [
    ...STATE_FIELDS.flatMap((field) => [
      ...[lit('CONNECTED'), lit('connected '), lit(''), lit('toString'), lit('__proto__'), lit(null), lit(3)].map((v) => set([field], v, 'schema')),
    ]),
    set(['connectionState'], lit('failed'), 'ok'),
    ...stringMutations('reason', LIMITS.stateReasonMaxLength, { nullOk: false, required: false }),
    ...toMutations(),
  ],
  stats: [
    ...[lit(null), lit([]), lit('rtt'), lit(5), { $: 'chars', count: 10, marked: false } as Spec].map((v) => set(['report'], v, 'schema')),
    { path: ['report'], remove: true, effect: 'schema' },
    set(['report'], lit({}), 'ok'),
    ...STATS_NUMBERS.flatMap((field) => [
      ...[lit('1'), lit(null), lit(true), lit({}), lit([1])].map((v) => set(['report', field], v, 'schema')),
      ...[lit(1e308), lit(-1), lit(0.000_001)].map((v) => set(['report', field], v, 'ok')),
    ]),
    ...STATS_STRINGS.flatMap((field) => stringMutations(field, LIMITS.statsStringMaxLength, { nullOk: false, required: false }).map((m) => ({ ...m, path: ['report', field] }))),
    { path: ['report'], protoKey: true, value: lit({ polluted: true }), effect: 'schema' },
    ...PROTOTYPE_KEYS.map((key) => set(['report', key], lit({ polluted: true }), 'ok')),
    ...toMutations(),
  ],
  ping: [
    ...WRONG_TYPES_OR_NULL.filter((spec) => typeof (spec as { value: unknown }).value !== 'number').map((v) => set(['t'], v, 'schema')),
    set(['t'], lit('12'), 'schema'),
    set(['t'], lit(1e308), 'ok'),
    set(['t'], lit(-0.25), 'ok'),
    { path: ['t'], remove: true, effect: 'ok' },
  ],
  // `bye` closes the socket: only invalid ones are sent (see the id choices)
  bye: [],
};

/** Mutations every type shares: its type field, prototype keys, unknown keys. */
const COMMON_MUTATIONS: Mutation[] = [
  ...[lit('Offer'), lit(' offer'), lit('offer\u0000'), lit('hello'), lit('__proto__'), lit('constructor'), lit(''), ...WRONG_TYPES_OR_NULL].map((v) =>
    set(['type'], v, 'schema'),
  ),
  { path: ['type'], remove: true, effect: 'schema' },
  { path: [], protoKey: true, value: lit({ isAdmin: true }), effect: 'schema' },
  { path: [], protoKey: true, value: lit(null), effect: 'schema' },
  // unknown keys are dropped, never relayed: a forged `from` included
  ...[...PROTOTYPE_KEYS, 'from', 'room', 'peerId'].map((key) => set([key], lit({ polluted: { deep: [null, 'x'] } }), 'ok')),
  set(['from'], { $: 'foreign', i: 1 }, 'ok'),
  set(['room'], { $: 'foreign', i: 2 }, 'ok'),
];

const idArb: fc.Arbitrary<IdChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<IdChoice>('fresh') },
  { weight: 4, arbitrary: fc.constant<IdChoice>('none') },
  { weight: 1, arbitrary: fc.constant<IdChoice>('max-ascii') },
  // 128 characters as the validator counts them, but more UTF-16 units
  { weight: 1, arbitrary: fc.constant<IdChoice>('astral') },
  { weight: 2, arbitrary: fc.constantFrom<unknown>('x'.repeat(LIMITS.messageIdMaxLength + 1), 7, null, {}, [], true).map((bad): IdChoice => ({ bad })) },
);

function messageArb(type: MessageType): fc.Arbitrary<MessageRecipe> {
  const options: Record<MessageType, fc.Arbitrary<Record<string, unknown>>> = {
    offer: fc.constant({}),
    answer: fc.constant({}),
    candidate: fc.record(
      { sdpMid: fc.constantFrom('0', 'audio', null), sdpMLineIndex: fc.constantFrom(0, 1, null), usernameFragment: fc.constantFrom('abcd', null) },
      { requiredKeys: [] },
    ),
    state: fc.record(
      {
        connectionState: fc.constantFrom('new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'),
        iceConnectionState: fc.constantFrom('new', 'checking', 'connected', 'completed', 'disconnected', 'failed', 'closed'),
        signalingState: fc.constantFrom('stable', 'have-local-offer', 'have-remote-offer', 'have-local-pranswer', 'have-remote-pranswer', 'closed'),
        iceGatheringState: fc.constantFrom('new', 'gathering', 'complete'),
        // a grapheme can be several code points: 20 stay under the 256-character limit
        reason: fc.string({ unit: 'grapheme', maxLength: 20 }),
      },
      { requiredKeys: [] },
    ),
    stats: fc
      .record(
        {
          rttMs: fc.double({ noNaN: true, noDefaultInfinity: true }),
          packetLossPct: fc.double({ min: 0, max: 100, noNaN: true }),
          jitterMs: fc.nat(),
          bitrateKbps: fc.nat(),
          localCandidateType: fc.constantFrom('host', 'srflx', 'relay'),
          remoteCandidateType: fc.constantFrom('host', 'prflx'),
          protocol: fc.constantFrom('udp', 'tcp'),
          relayProtocol: fc.string({ unit: 'grapheme', maxLength: 5 }),
        },
        { requiredKeys: [] },
      )
      .map((report) => ({ report })),
    ping: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }).map((t) => (t === undefined ? {} : { t })),
    bye: fc.constant({}),
  };
  const mutations = [...MUTATIONS[type], ...(type === 'bye' ? [] : COMMON_MUTATIONS)];
  return fc.record({
    type: fc.constant(type),
    id: type === 'bye' ? idArb.filter((id) => typeof id === 'object') : idArb,
    addressed: fc.boolean(),
    options: options[type],
    // about a third of the messages stay valid
    mutation: mutations.length === 0 ? fc.constant(null) : fc.option(fc.constantFrom(...mutations), { nil: null, freq: 3 }),
  });
}

const anyMessageArb = fc.oneof(
  { weight: 5, arbitrary: messageArb('offer') },
  { weight: 3, arbitrary: messageArb('answer') },
  { weight: 6, arbitrary: messageArb('candidate') },
  { weight: 3, arbitrary: messageArb('state') },
  { weight: 3, arbitrary: messageArb('stats') },
  { weight: 2, arbitrary: messageArb('ping') },
  { weight: 1, arbitrary: messageArb('bye') },
);

const jsonKeyArb = fc.oneof(fc.constantFrom('type', 'id', 'to', 'sdp', 'candidate', 'report', 't', '__proto__', ...PROTOTYPE_KEYS), fc.string({ maxLength: 8 }));
const jsonTypeArb = fc.oneof(fc.constantFrom(...KNOWN_TYPES, 'OFFER', '__proto__', 'constructor', 'toString'), fc.jsonValue({ maxDepth: 1 }));

/** A JSON object written by hand, so `__proto__` and repeated keys reach the gateway as sent. */
const rawObjectArb = fc
  .tuple(jsonTypeArb, fc.array(fc.tuple(jsonKeyArb, fc.jsonValue({ maxDepth: 3 })), { maxLength: 6 }))
  .map(([type, entries]) => `{${[['type', type] as [string, unknown], ...entries].map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`);

const recipeArb: fc.Arbitrary<Recipe> = fc.oneof(
  { weight: 60, arbitrary: anyMessageArb.map((message): Recipe => ({ kind: 'message', message })) },
  { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((text): Recipe => ({ kind: 'text', text })) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((text): Recipe => ({ kind: 'text', text })) },
  { weight: 8, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value): Recipe => ({ kind: 'text', text: JSON.stringify(value) ?? 'null' })) },
  { weight: 8, arbitrary: rawObjectArb.map((text): Recipe => ({ kind: 'text', text })) },
  {
    weight: 8,
    arbitrary: fc
      .record({ message: anyMessageArb, at: fc.double({ min: 0, max: 1, noNaN: true }), op: fc.constantFrom('truncate', 'insert', 'delete'), char: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '\u0000') })
      .map((corrupt): Recipe => ({ kind: 'corrupt', ...(corrupt as Omit<Extract<Recipe, { kind: 'corrupt' }>, 'kind'>) })),
  },
  {
    weight: 4,
    arbitrary: fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.constant(new Uint8Array(Buffer.from('{"type":"ping","t":1}')))).map((bytes): Recipe => ({ kind: 'binary', bytes })),
  },
);

interface FuzzPeer {
  readonly index: number;
  readonly room: string;
  readonly node: number;
  readonly client: SignalingClient & { peerId: string };
  partner: FuzzPeer;
  foreignPeers: string[];
  foreignRooms: string[];
  /** What this peer's frames must cause. */
  readonly expected: { errorsByRef: Map<string, ErrorCode[]>; unrefErrors: Record<ErrorCode, number>; relaySeqs: Set<number>; unmarkedRelays: number; pongs: Map<string, number> };
  /** What it received. */
  readonly received: { unrefErrors: Record<ErrorCode, number>; relaySeqs: number[]; unmarkedRelays: number; pongs: Map<string, number>; frames: number };
  readonly foreignToSent: Set<string>;
  readonly barriers: Map<number, () => void>;
}

/** Peer ids, rooms and counters a frame is rendered with. */
class RenderContext {
  private seq = 0;
  private ids = 0;

  constructor(private readonly peer: FuzzPeer) {}

  render(recipe: Recipe): Frame {
    switch (recipe.kind) {
      case 'binary':
        return { data: Buffer.from(recipe.bytes), expect: { kind: 'error', code: 'schema-error' } };
      case 'text': {
        // what the socket carries: lone surrogates become U+FFFD in UTF-8
        const text = Buffer.from(recipe.text, 'utf8').toString('utf8');
        return { data: text, expect: { kind: 'error', code: 'schema-error', ...refOf(text) } };
      }
      case 'corrupt': {
        const text = JSON.stringify(this.build(recipe.message).body);
        const at = Math.floor(recipe.at * text.length);
        let broken =
          recipe.op === 'truncate' ? text.slice(0, at) : recipe.op === 'insert' ? text.slice(0, at) + recipe.char + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
        if (parses(broken)) broken += ',';
        return { data: broken, expect: { kind: 'error', code: 'schema-error' } };
      }
      case 'message':
        return this.renderMessage(recipe.message);
    }
  }

  private renderMessage(message: MessageRecipe): Frame {
    const { body, seq, id, foreignTo } = this.build(message);
    const data = JSON.stringify(body);
    const effect: Effect = typeof message.id === 'object' ? 'schema' : (message.mutation?.effect ?? 'ok');
    const ref = usableRef(id);
    let expect: Expectation;
    if (effect === 'schema') expect = { kind: 'error', code: 'schema-error', ...ref };
    else if (effect === 'unknown-to') expect = { kind: 'error', code: 'unknown-peer', ...ref };
    else if (message.type === 'ping') expect = { kind: 'pong', ...(Object.hasOwn(body, 't') ? { t: body['t'] as number } : {}) };
    else if (message.type === 'state' || message.type === 'stats') expect = { kind: 'none' };
    else if (message.mutation?.unmarked) expect = { kind: 'relay-unmarked' };
    else expect = { kind: 'relay', seq };
    return { data, expect, ...(foreignTo ? { foreignTo } : {}) };
  }

  private build(message: MessageRecipe): { body: Record<string, unknown>; seq: number; id: unknown; foreignTo?: string } {
    const seq = ++this.seq;
    const marker = `x-room:${this.peer.room} x-seq:${seq}`;
    const body: Record<string, unknown> = { type: message.type };
    const id = this.id(message.id);
    if (id !== undefined) body['id'] = id;
    if (message.type === 'offer' || message.type === 'answer') body['sdp'] = `v=0\r\no=- ${seq} 2 IN IP4 127.0.0.1\r\na=${marker}\r\n`;
    if (message.type === 'candidate') body['candidate'] = `candidate:1 1 udp 2122260223 127.0.0.1 ${50_000 + (seq % 10_000)} typ host ${marker}`;
    Object.assign(body, structuredClone(message.options));
    if (message.addressed && message.type !== 'ping' && message.type !== 'bye') body['to'] = this.peer.partner.client.peerId;
    let foreignTo: string | undefined;
    const mutation = message.mutation;
    if (mutation) {
      const parent = mutation.path.slice(0, -1).reduce<Record<string, unknown>>((object, key) => {
        if (typeof object[key] !== 'object' || object[key] === null || Array.isArray(object[key])) object[key] = {};
        return object[key] as Record<string, unknown>;
      }, body);
      if (mutation.protoKey) {
        const target = mutation.path.length === 0 ? body : (parent[mutation.path[0]] ??= {}) as Record<string, unknown>;
        Object.defineProperty(target, '__proto__', { value: this.resolve(mutation.value!, marker), enumerable: true, writable: true, configurable: true });
      } else {
        const key = mutation.path[mutation.path.length - 1];
        if (mutation.remove) delete parent[key];
        else {
          const value = this.resolve(mutation.value!, marker);
          parent[key] = value;
          if (key === 'to' && mutation.value!.$ === 'foreign') foreignTo = value as string;
        }
      }
    }
    return { body, seq, id, foreignTo };
  }

  private id(choice: IdChoice): unknown {
    if (choice === 'none') return undefined;
    if (typeof choice === 'object') return choice.bad;
    const base = `p${this.peer.index}-${++this.ids}-`;
    if (choice === 'fresh') return base;
    if (choice === 'max-ascii') return base.padEnd(LIMITS.messageIdMaxLength, 'i');
    return base + '😀'.repeat(LIMITS.messageIdMaxLength - base.length);
  }

  private resolve(spec: Spec, marker: string): unknown {
    switch (spec.$) {
      case 'literal':
        return structuredClone(spec.value);
      case 'self':
        return this.peer.client.peerId;
      case 'partner':
        return this.peer.partner.client.peerId;
      case 'foreign':
        return this.peer.foreignPeers[spec.i % this.peer.foreignPeers.length];
      case 'chars':
        return chars(spec.marked ? `${marker} ` : '', spec.count);
    }
  }
}

/** A string of exactly `count` characters as the validator counts them (code points). */
function chars(prefix: string, count: number): string {
  const spice = count - prefix.length >= SPICE.length ? SPICE.join('') : '';
  return prefix + spice + 'a'.repeat(count - prefix.length - (spice ? SPICE.length : 0));
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** PROTOCOL section 1: a string `id` is echoed as `ref`; the contract caps it at 128 characters. */
function refOf(text: string): { ref?: string } {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
    return usableRef((data as Record<string, unknown>)['id']);
  } catch {
    return {};
  }
}

function usableRef(id: unknown): { ref?: string } {
  return typeof id === 'string' && characters(id) <= LIMITS.messageIdMaxLength ? { ref: id } : {};
}

/** Length as the contract's validator counts it: a surrogate pair or a presentation sequence is one character. */
function characters(text: string): number {
  const pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  const presentations = text.match(/[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g)?.length ?? 0;
  return text.length - pairs - presentations;
}

/** A text recipe that happens to be a well-formed known message is not a bad frame: leave it out. */
function mayBeValid(recipe: Recipe): boolean {
  if (recipe.kind !== 'text') return false;
  try {
    const data: unknown = JSON.parse(Buffer.from(recipe.text, 'utf8').toString('utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) && KNOWN_TYPES.has((data as Record<string, unknown>)['type'] as string);
  } catch {
    return false;
  }
}

const pongKey = (t: number | undefined) => (t === undefined ? 'none' : String(t));
const SIGNAL_FIELDS: Record<string, Set<string>> = {
  offer: new Set(['type', 'sdp', 'from']),
  answer: new Set(['type', 'sdp', 'from']),
  candidate: new Set(['type', 'candidate', 'from', 'sdpMid', 'sdpMLineIndex', 'usernameFragment']),
};

describe('fuzzing the signaling protocol on two nodes', () => {
  let cluster: GatewayCluster;
  const exits: string[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, {
      MESSAGE_MAX_BYTES: String(MESSAGE_MAX_BYTES),
      // limits off: this suite floods on purpose (docs/configuration.md, 0 turns a limit off)
      RATE_LIMIT_CONN_PER_10S: '0',
      RATE_LIMIT_PEER_MSGS_PER_10S: '0',
      RATE_LIMIT_IP_MSGS_PER_10S: '0',
      RATE_LIMIT_ROOM_MSGS_PER_10S: '0',
      BACKPRESSURE_THRESHOLD_BYTES: String(64 * 1024 * 1024),
    });
    cluster.nodes.forEach((node, i) => node.child.once('exit', (code, signal) => exits.push(`node ${i} exited: ${code ?? signal}`)));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function expectNodesHealthy(): Promise<void> {
    expect(exits).toEqual([]);
    for (const node of cluster.nodes) {
      expect((await fetch(`${node.baseUrl}/healthz`)).status).toBe(200);
      // pino levels 50/60 are error/fatal: an internal error closes a peer with 1011 and logs one
      expect(node.output()).not.toMatch(/unhandled|uncaught|"level":(50|60)/i);
    }
  }

  it('answers every bad frame with one error and never crosses rooms', async () => {
    const started = Date.now();
    const rooms = Array.from({ length: ROOMS }, (_, r) => uniqueName(`fuzz${r}`));
    const peers: FuzzPeer[] = [];
    for (let r = 0; r < ROOMS; r++) {
      // rooms 0 and 1 live on one node each, rooms 2 and 3 span both
      const nodes = r < 2 ? [r, r] : [0, 1];
      for (const node of nodes) {
        const client = await SignalingClient.join(cluster.wsUrl(node, `room=${rooms[r]}`));
        peers.push({
          index: peers.length,
          room: rooms[r],
          node,
          client,
          partner: undefined as unknown as FuzzPeer,
          foreignPeers: [],
          foreignRooms: rooms.filter((room) => room !== rooms[r]),
          expected: { errorsByRef: new Map(), unrefErrors: { 'schema-error': 0, 'unknown-peer': 0 }, relaySeqs: new Set(), unmarkedRelays: 0, pongs: new Map() },
          received: { unrefErrors: { 'schema-error': 0, 'unknown-peer': 0 }, relaySeqs: [], unmarkedRelays: 0, pongs: new Map(), frames: 0 },
          foreignToSent: new Set(),
          barriers: new Map(),
        });
      }
    }
    for (const peer of peers) {
      peer.partner = peers.find((other) => other.room === peer.room && other !== peer)!;
      peer.foreignPeers = peers.filter((other) => other.room !== peer.room).map((other) => other.client.peerId);
    }
    // the first peer of each room hears of the second before the fuzz starts
    await Promise.all(peers.filter((_, i) => i % 2 === 0).map((peer) => peer.client.next('peer-joined', 15_000)));

    const violations: string[] = [];
    let wake: () => void = () => undefined;
    for (const peer of peers) {
      const own = `x-room:${peer.room} `;
      peer.client.ws.on('message', (data: RawData) => {
        const text = data.toString();
        const frame = JSON.parse(text) as Record<string, unknown>;
        peer.received.frames++;
        const violation = (what: string) => violations.length < 50 && violations.push(`peer ${peer.index}: ${what}: ${text.slice(0, 300)}`);
        for (const room of peer.foreignRooms) if (text.includes(room)) violation('names another room');
        for (const foreign of peer.foreignPeers) {
          // an error may quote the `to` this peer sent itself; nothing else may name them
          if (text.includes(foreign) && !(frame['type'] === 'error' && peer.foreignToSent.has(foreign))) violation('names a peer of another room');
        }
        switch (frame['type']) {
          case 'error': {
            const code = frame['code'] as ErrorCode;
            if (code !== 'schema-error' && code !== 'unknown-peer') return violation('unexpected error code');
            if (typeof frame['ref'] === 'string') {
              // random frames may repeat an id (e.g. ""): each expected error is taken once
              const codes = peer.expected.errorsByRef.get(frame['ref']) ?? [];
              const at = codes.indexOf(code);
              if (at === -1) return violation('error for a frame that should not get this error');
              codes.splice(at, 1);
              if (codes.length === 0) peer.expected.errorsByRef.delete(frame['ref']);
            } else peer.received.unrefErrors[code]++;
            break;
          }
          case 'pong': {
            const t = frame['t'] as number | undefined;
            if (t !== undefined && t < 0 && Number.isInteger(t) && peer.barriers.has(t)) {
              peer.barriers.get(t)!();
              peer.barriers.delete(t);
            } else peer.received.pongs.set(pongKey(t), (peer.received.pongs.get(pongKey(t)) ?? 0) + 1);
            break;
          }
          case 'offer':
          case 'answer':
          case 'candidate': {
            if (frame['from'] !== peer.partner.client.peerId) violation('relayed with a wrong from');
            for (const key of Object.keys(frame)) if (!SIGNAL_FIELDS[frame['type'] as string].has(key)) violation(`relayed an unknown field ${key}`);
            const payload = String(frame['type'] === 'candidate' ? frame['candidate'] : frame['sdp']);
            const seq = /x-seq:(\d+)/.exec(payload);
            if (seq && payload.startsWith(own, payload.indexOf('x-room:'))) peer.received.relaySeqs.push(Number(seq[1]));
            else if (frame['type'] === 'candidate' && payload === '') peer.received.unmarkedRelays++;
            else violation('relayed a frame without this room marker');
            break;
          }
          default:
            violation('unexpected frame type');
        }
        wake();
      });
    }

    // frames are generated up front, so sending is not slowed by generation
    const generation = Date.now();
    const plans = peers.map((peer) => {
      const context = new RenderContext(peer);
      const recipes = fc.sample(recipeArb.filter((recipe) => !mayBeValid(recipe)), { numRuns: FRAMES_PER_PEER, seed: SEED + peer.index });
      return recipes.map((recipe) => {
        const frame = context.render(recipe);
        const bytes = typeof frame.data === 'string' ? Buffer.byteLength(frame.data) : frame.data.length;
        // the 1009 close for frames over the limit is checked on its own below
        if (bytes >= MESSAGE_MAX_BYTES) throw new Error(`generated a ${bytes}-byte frame (seed ${SEED}): ${String(frame.data).slice(0, 200)}`);
        const expect = frame.expect;
        if (expect.kind === 'error') {
          if (expect.ref !== undefined) {
            const codes = peer.expected.errorsByRef.get(expect.ref) ?? [];
            peer.expected.errorsByRef.set(expect.ref, [...codes, expect.code]);
          } else peer.expected.unrefErrors[expect.code]++;
        } else if (expect.kind === 'relay') peer.partner.expected.relaySeqs.add(expect.seq);
        else if (expect.kind === 'relay-unmarked') peer.partner.expected.unmarkedRelays++;
        else if (expect.kind === 'pong') peer.expected.pongs.set(pongKey(expect.t), (peer.expected.pongs.get(pongKey(expect.t)) ?? 0) + 1);
        return frame;
      });
    });
    const generationMs = Date.now() - generation;
    const badFrames = peers.reduce((sum, peer) => sum + [...peer.expected.errorsByRef.values()].reduce((n, codes) => n + codes.length, 0) + peer.expected.unrefErrors['schema-error'] + peer.expected.unrefErrors['unknown-peer'], 0);
    const relays = peers.reduce((sum, peer) => sum + peer.expected.relaySeqs.size + peer.expected.unmarkedRelays, 0);

    const sending = Date.now();
    await Promise.all(
      peers.map(async (peer, p) => {
        const frames = plans[p];
        const unanswered: Promise<void>[] = [];
        for (let sent = 0, batch = 0; sent < frames.length; ) {
          for (const end = Math.min(sent + BATCH, frames.length); sent < end; sent++) {
            const frame = frames[sent];
            if (frame.foreignTo) peer.foreignToSent.add(frame.foreignTo);
            peer.client.ws.send(frame.data, { binary: typeof frame.data !== 'string' });
          }
          const t = -++batch;
          unanswered.push(
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`peer ${p}: no pong for barrier ${t} within ${WAIT_MS} ms (seed ${SEED})`)), WAIT_MS);
              peer.barriers.set(t, () => {
                clearTimeout(timer);
                resolve();
              });
            }),
          );
          peer.client.ws.send(JSON.stringify({ type: 'ping', t }));
          if (unanswered.length >= 2) await unanswered.shift();
        }
        await Promise.all(unanswered);
      }),
    );
    const sendingMs = Date.now() - sending;

    // reports to an unknown peer are answered after a lookup that does not hold the peer's queue
    const complete = () =>
      peers.every(
        (peer) =>
          peer.expected.errorsByRef.size === 0 &&
          peer.received.unrefErrors['schema-error'] >= peer.expected.unrefErrors['schema-error'] &&
          peer.received.unrefErrors['unknown-peer'] >= peer.expected.unrefErrors['unknown-peer'] &&
          peer.received.relaySeqs.length >= peer.expected.relaySeqs.size &&
          peer.received.unmarkedRelays >= peer.expected.unmarkedRelays,
      );
    const deadline = Date.now() + WAIT_MS;
    while (!complete() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // nothing more may come: a second error or a late duplicate would show here
    await new Promise((r) => setTimeout(r, 500));

    const summary = `seed ${SEED}: ${peers.length * FRAMES_PER_PEER} frames (${badFrames} bad, ${relays} relays) generated in ${generationMs} ms, sent and answered in ${sendingMs} ms, ${Date.now() - started} ms in all`;
    process.stdout.write(`${summary}\n`);
    expect(violations).toEqual([]);
    for (const peer of peers) {
      const label = `peer ${peer.index} (${summary})`;
      expect({ label, missingRefs: [...peer.expected.errorsByRef.entries()].slice(0, 5) }).toEqual({ label, missingRefs: [] });
      expect({ label, unref: peer.received.unrefErrors }).toEqual({ label, unref: peer.expected.unrefErrors });
      // every good signal of its partner exactly once, in the order sent, and no bad one
      expect({ label, relays: peer.received.relaySeqs }).toEqual({ label, relays: [...peer.expected.relaySeqs].sort((a, b) => a - b) });
      expect(peer.received.unmarkedRelays).toBe(peer.expected.unmarkedRelays);
      expect({ label, pongs: Object.fromEntries(peer.received.pongs) }).toEqual({ label, pongs: Object.fromEntries(peer.expected.pongs) });
      expect(peer.client.ws.readyState).toBe(peer.client.ws.OPEN);
    }
    expect(badFrames).toBeGreaterThan(50_000);
    expect(relays).toBeGreaterThan(10_000);
    await expectNodesHealthy();
    for (const peer of peers) peer.client.close();
  }, 110_000);

  it.each([0, 1])('closes with 1009 only past MESSAGE_MAX_BYTES (node %i)', async (node) => {
    const client = await SignalingClient.join(cluster.wsUrl(node, `room=${uniqueName('fuzz-size')}`));
    const frameOf = (bytes: number) => {
      const head = '{"type":"offer","id":"at-limit","sdp":"';
      return head + 'a'.repeat(bytes - head.length - 2) + '"}';
    };
    const atLimit = frameOf(MESSAGE_MAX_BYTES);
    expect(Buffer.byteLength(atLimit)).toBe(MESSAGE_MAX_BYTES);
    client.send(atLimit);
    expect(await client.next('error')).toMatchObject({ code: 'schema-error', ref: 'at-limit' });
    client.send(frameOf(MESSAGE_MAX_BYTES + 1));
    expect((await client.closed).code).toBe(1009);
    await expectNodesHealthy();
  });
});
