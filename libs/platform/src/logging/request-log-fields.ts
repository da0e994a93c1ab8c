/**
 * What a request log line says about the request: method and path only. The
 * query string is dropped because it carries secrets (`/ws?token=JWT`,
 * `resume=`, PROTOCOL section 1), and headers because they carry
 * `Authorization` and cookies.
 */
export function requestLogFields(req: { method?: string; url?: string }): { method: string | undefined; path: string } {
  const url = req.url ?? '';
  // `#` never reaches a server, but a hand-made request line could carry one
  const end = url.search(/[?#]/);
  return { method: req.method, path: end === -1 ? url : url.slice(0, end) };
}
