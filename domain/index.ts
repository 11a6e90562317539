// Owns the public face of the domain package: the pure rules, codes and wire shapes every other part of
// Admit (terminal core, contract, renderer, server, tools) shares. Code that must stay free of
// node:crypto (the contract, hence the renderer and the preload) imports the individual modules instead.
export * from './codes';
export * from './rules';
export * from './wire';
