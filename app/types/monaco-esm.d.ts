// Monaco's "all editor features" ESM entry ships without typings; it re-exports the public API.
declare module 'monaco-editor/esm/vs/editor/edcore.main' {
  export * from 'monaco-editor';
}
