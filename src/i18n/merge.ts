// One catalog from its parts. Object.assign, not a spread: V8 spreads a just-built object literal of several hundred
// closures one property at a time through its slow path (about 3 ms for 700 keys, measured), Object.assign in a
// tenth of a millisecond, and every start builds both languages' catalogs.
type Merged<T extends readonly object[]> = (T[number] extends infer U ? (U extends unknown ? (x: U) => void : never) : never) extends (x: infer I) => void ? I : never;

export function merge<T extends readonly object[]>(...parts: T): Merged<T> {
  return Object.assign({}, ...parts) as Merged<T>;
}
