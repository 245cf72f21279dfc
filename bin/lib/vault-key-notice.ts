// At start, before web and workers: make sure the credential vault key exists (generated into BATON_HOME/vault.key
// on first start unless BATON_ENCRYPTION_KEY is set) and print where it is the first time, so it can be backed up.
// A malformed BATON_ENCRYPTION_KEY stops the start here, naming the variable, not at the first credential use.
import { loadVaultKey } from '../../db/vault-key';

export function prepareVaultKey(log: (line: string) => void): void {
  const key = loadVaultKey();
  if (key.notice) log(key.notice);
}
