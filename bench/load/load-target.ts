/** What the load worker connects to; plain data, sent over IPC. */
export type LoadTarget =
  /**
   * bench/servers/bare-ws-relay.ts: `ws://HOST/?room=ROOM`, frames forwarded verbatim. With two
   * urls (bare-two-node-relay.ts), each room's first peer joins urls[0] and its second urls[1].
   */
  | { readonly protocol: 'bare'; readonly urls: readonly string[] }
  /** npm `peer`: `ws://HOST/peerjs?key=peerjs&id=ID&token=TOKEN`, `{type, dst, payload}` frames. */
  | { readonly protocol: 'peerjs'; readonly urls: readonly string[] }
  /**
   * Our gateway (PROTOCOL section 1): `ws://HOST/ws?room=ROOM`. With two urls, each room's
   * first peer joins urls[0] and its second urls[1], so every signal crosses nodes.
   */
  | { readonly protocol: 'gateway'; readonly urls: readonly string[] };
