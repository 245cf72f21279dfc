// A MySQL or MariaDB database. The connection test logs in with the MySQL node's own driver and connection (through
// the destination guard) and runs one SELECT in the database; it writes nothing.
import { defineCredentialType, field } from './define';
import { databaseTlsField } from './database-tls';

export const mysql = defineCredentialType({
  type: 'mysql',
  title: 'MySQL',
  description: 'A MySQL or MariaDB database server and the account to connect with.',
  fields: {
    host: field.host({ label: 'Host', placeholder: 'db.example.com' }),
    port: field.port({ label: 'Port', default: 3306 }),
    database: field.text({ label: 'Database', required: true, maxLength: 64 }),
    user: field.text({ label: 'User', required: true, maxLength: 80 }),
    password: field.secret({ label: 'Password' }),
    tls: databaseTlsField(),
  },
  async test(values) {
    const { testDatabaseLogin } = await import('../sql/connection-test'); // the driver loads only when testing
    return testDatabaseLogin('mysql', values);
  },
});
