// The TLS field of the database credentials (PostgreSQL, MySQL), one definition for both.
import { field } from './define';
import { TLS_MODES } from '../sql/server-settings';

export const databaseTlsField = () =>
  field.select({
    label: 'TLS',
    description:
      'Off: plain connection. Require: encrypted, any certificate. Verify: the certificate must be valid for the host.',
    placeholder: 'Off',
    values: TLS_MODES,
    options: [
      { value: 'off', label: 'Off' },
      { value: 'require', label: 'Require (no certificate check)' },
      { value: 'verify', label: 'Verify the certificate' },
    ],
    // No default: credentials saved before the field existed, and those left blank, connect without TLS.
  });
