// Owns the test-support surface of the drivers (PTY pairs, QR decoding). Kept apart from
// drivers/index.ts so production code does not pull in socat spawning or the zxing wasm.
export { createPtyPair, type PtyPair, type PtyPairOptions } from './pty';
export { decodeQrFromPng } from './qr-decode';
