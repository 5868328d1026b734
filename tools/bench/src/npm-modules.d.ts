// The runtime's test fixtures (fixture-packages.ts) import these untyped npm modules.
declare module 'pacote';
declare module '@npmcli/arborist';
