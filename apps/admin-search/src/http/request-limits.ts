/**
 * The admin API's input bounds (PROTOCOL section 3, "Limits"), enforced before anything recurses
 * over the input: the body size by the body parser, the JSON depth on the raw bytes, then string
 * sizes in the DTOs.
 */
export const REQUEST_BODY_MAX_BYTES = 1024 * 1024;
/** The body object itself is level 1. */
export const JSON_MAX_DEPTH = 64;
/** The whole `filter`: the string, or every string of the array form, in UTF-8. */
export const FILTER_MAX_BYTES = 16 * 1024;
export const QUERY_MAX_BYTES = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * Refuses a JSON body nested deeper than `JSON_MAX_DEPTH`, naming the top-level field it is in;
 * null when the body is within it. One pass over the bytes with a counter, so a body of a million
 * `[` costs a loop, not a stack. Syntax is left to the JSON parser that runs after it.
 */
export function jsonDepthRefusal(raw: Buffer): string | null {
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  let lastTopLevelString: [number, number] | null = null;
  let field: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) {
        inString = false;
        if (depth === 1) lastTopLevelString = [stringStart, i + 1];
      }
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (byte === COLON && depth === 1 && lastTopLevelString) {
      field = fieldName(raw, lastTopLevelString);
    } else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth > JSON_MAX_DEPTH) return `${field ?? 'body'}: JSON nested deeper than ${JSON_MAX_DEPTH} levels`;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return null;
}

function fieldName(raw: Buffer, [start, end]: [number, number]): string {
  try {
    const name = JSON.parse(raw.subarray(start, end).toString('utf8')) as string;
    return name.length > 64 ? `${name.slice(0, 64)}…` : name;
  } catch {
    return 'body';
  }
}

/** UTF-8 bytes of a string; lone surrogates count as the 3 bytes of U+FFFD they become. */
export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
