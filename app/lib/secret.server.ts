// The web's view of Baton's secret: the same one the worker signs resume links with (db/secret.ts).
export { batonHome, sessionSecret } from '../../db/secret';
