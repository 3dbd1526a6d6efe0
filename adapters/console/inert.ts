// What the console prints is inert in a terminal: control characters (escape sequences that clear the screen or
// retitle the window, the bell, a carriage return that overwrites a line) and bidirectional overrides that reorder
// what is shown are dropped; newlines and tabs stay.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

export function inert(text: string): string {
  return text.replace(UNSAFE, '');
}
