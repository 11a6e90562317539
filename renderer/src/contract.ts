// Owns the renderer's one door into the contract: every type and schema the UI uses from
// electron/contract comes through here, so the lint rule has a single import to allow and the rest of
// renderer/ never reaches outside its own folder.
export * from '../../electron/contract/index';
