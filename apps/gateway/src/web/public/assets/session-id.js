// The session id the gateway's diagnostics give a pair of peers (libs/session, sessionIdFor):
// the first 22 characters of base64url(SHA-256("<room>\n<lower peer id>\n<higher peer id>")).
// Web Crypto exists only on secure origins (https, or localhost): elsewhere the page shows the
// peer id, which support can search for just as well.
export async function sessionIdFor(room, peer, otherPeer) {
  if (!globalThis.crypto?.subtle) return null;
  const [first, second] = peer < otherPeer ? [peer, otherPeer] : [otherPeer, peer];
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${room}\n${first}\n${second}`));
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 22);
}
