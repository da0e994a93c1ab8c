import { Command } from 'ioredis';

const CRLF = '\r\n';
const INITIAL_BYTES = 64 * 1024;
/** A buffer grown for one large command shrinks back once a command uses less than a quarter of it. */
const SHRINK_FROM_BYTES = 1024 * 1024;

/**
 * An ioredis command whose RESP bytes the caller wrote (ioredis's own Script overrides
 * `toWritable` the same way). ioredis matches its reply like any other command's, resends it
 * after a reconnect, and never looks at its arguments, so the bytes must stay as they are
 * until its promise settles.
 */
export class WireCommand extends Command {
  constructor(
    name: string,
    private readonly wire: Buffer,
  ) {
    super(name, []);
  }

  override toWritable(): Buffer {
    return this.wire;
  }
}

/**
 * Writes one command's RESP (`*N`, then `$len` and the bytes of each argument) into a buffer
 * it keeps from one command to the next: a large `Buffer` argument is copied once, into memory
 * already in use, where ioredis would copy every argument into a new buffer per command.
 * The bytes of `finish()` are valid until the next `begin()`.
 */
export class RespCommandWriter {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;

  begin(argumentCount: number): void {
    this.used = 0;
    this.ascii(`*${argumentCount}${CRLF}`);
  }

  /** One argument; strings as UTF-8. */
  argument(value: string | Buffer): void {
    if (typeof value === 'string') {
      const length = Buffer.byteLength(value);
      this.ascii(`$${length}${CRLF}`);
      this.reserve(length + 2);
      this.used += this.bytes.write(value, this.used, 'utf8');
    } else {
      this.ascii(`$${value.length}${CRLF}`);
      this.reserve(value.length + 2);
      this.used += value.copy(this.bytes, this.used);
    }
    this.bytes[this.used++] = 0x0d;
    this.bytes[this.used++] = 0x0a;
  }

  /** The command's bytes: a view of the writer's buffer. */
  finish(): Buffer {
    const wire = this.bytes.subarray(0, this.used);
    // the next command starts in a smaller buffer; this one stays with `wire` until it is sent
    if (this.bytes.length >= SHRINK_FROM_BYTES && this.used * 4 < this.bytes.length) this.bytes = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, this.used * 2));
    return wire;
  }

  private ascii(text: string): void {
    this.reserve(text.length);
    this.used += this.bytes.write(text, this.used, 'latin1');
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }
}
