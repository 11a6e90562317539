// Owns the public face of the domain package: the pure rules, codes, wire shapes, outbox records,
// vocabularies, money, pricing, tender, hashing, read faults and the safe display of untrusted text
// every other part of Admit (terminal core, contract, renderer, server, tools) shares. Code that must
// stay free of node:crypto (the contract, hence the renderer and the preload) imports the individual
// modules instead: codes.ts and hashing.ts need it.
export * from './enums';
export * from './money';
export * from './pricing';
export * from './tender';
export * from './rules';
export * from './codes';
export * from './hashing';
export * from './pins';
export * from './wire';
export * from './outbox';
export * from './shifts';
export * from './device-faults';
export * from './display-text';
export * from './audit';
export * from './audit-chain';
export * from './badge-template';
