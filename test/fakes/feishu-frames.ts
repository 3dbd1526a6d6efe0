/**
 * The long connection's frame (pbbp2.Frame in the Lark SDK), encoded and decoded by hand: a few protobuf
 * fields, so the fake server needs no protobuf library. The SDK's own decoder reads what this writes.
 *   1 SeqID uint64, 2 LogID uint64, 3 service int32, 4 method int32 (0 control, 1 data),
 *   5 headers repeated { 1 key string, 2 value string }, 6 payloadEncoding, 7 payloadType, 8 payload bytes, 9 LogIDNew
 */
export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Array<{ key: string; value: string }>;
  payload?: Uint8Array;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const key = (field: number, wire: number) => varint(field * 8 + wire);

function bytesField(field: number, data: Uint8Array): number[] {
  return [...key(field, 2), ...varint(data.length), ...data];
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(f: Frame): Buffer {
  const out: number[] = [...key(1, 0), ...varint(f.SeqID), ...key(2, 0), ...varint(f.LogID), ...key(3, 0), ...varint(f.service), ...key(4, 0), ...varint(f.method)];
  for (const h of f.headers) out.push(...bytesField(5, Uint8Array.from([...bytesField(1, utf8(h.key)), ...bytesField(2, utf8(h.value))])));
  if (f.payload) out.push(...bytesField(8, f.payload));
  return Buffer.from(out);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}
  varint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = this.buf[this.pos++]!;
      n += (b & 127) * mul;
      if (b < 128) return n;
      mul *= 128;
    }
  }
  bytes(): Uint8Array {
    const len = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}

export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const f: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  const text = new TextDecoder();
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) {
      const v = r.varint();
      if (field === 1) f.SeqID = v;
      else if (field === 2) f.LogID = v;
      else if (field === 3) f.service = v;
      else if (field === 4) f.method = v;
    } else if (wire === 2) {
      const b = r.bytes();
      if (field === 5) {
        const h = new Reader(b);
        const header = { key: '', value: '' };
        while (h.pos < h.end) {
          const t = h.varint();
          const v = text.decode(h.bytes());
          if (Math.floor(t / 8) === 1) header.key = v;
          else header.value = v;
        }
        f.headers.push(header);
      } else if (field === 8) f.payload = b;
    } else {
      throw new Error(`frame: unexpected wire type ${wire}`);
    }
  }
  return f;
}

export const headerOf = (f: Frame, k: string): string | undefined => f.headers.find((h) => h.key === k)?.value;
