// Approval links: a link verifies to its own approval, approver and expiry, and every change to it is refused with the
// reason a page can show (tampered, expired, malformed).
import { approvalLink, approvalLinkToken, verifyApprovalLink } from './approval-links';

const inAnHour = () => new Date(Date.now() + 3_600_000);
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** The token with one of its four segments replaced. */
function withSegment(token: string, index: number, segment: string): string {
  const parts = token.split('.');
  parts[index] = segment;
  return parts.join('.');
}
const encode = (text: string) => Buffer.from(text).toString('base64url');

describe('approval links', () => {
  it('is a URL under the public base that verifies to its approval, approver and expiry', () => {
    const previous = process.env.BATON_PUBLIC_URL;
    process.env.BATON_PUBLIC_URL = 'https://baton.example.test/';
    try {
      const expiresAt = inAnHour();
      const url = approvalLink('apr_1', 'user-a', expiresAt);
      expect(url).toMatch(/^https:\/\/baton\.example\.test\/approvals\/link\/[A-Za-z0-9_.-]+$/);
      expect(verifyApprovalLink(tokenOf(url))).toEqual({
        ok: true,
        approvalId: 'apr_1',
        approverId: 'user-a',
        expiresAt,
      });
    } finally {
      if (previous === undefined) delete process.env.BATON_PUBLIC_URL;
      else process.env.BATON_PUBLIC_URL = previous;
    }
  });

  it('gives each approver their own link, which names only them', () => {
    const expiresAt = inAnHour();
    const a = approvalLinkToken('apr_1', 'user-a', expiresAt);
    const b = approvalLinkToken('apr_1', 'user-b', expiresAt);
    expect(a).not.toBe(b);
    expect(verifyApprovalLink(a)).toMatchObject({ ok: true, approverId: 'user-a' });
    expect(verifyApprovalLink(b)).toMatchObject({ ok: true, approverId: 'user-b' });
  });

  it('refuses a link whose approver, approval or expiry was changed, as tampered', () => {
    const token = approvalLinkToken('apr_1', 'user-a', inAnHour());
    const otherApprover = withSegment(token, 1, encode('user-b'));
    const otherApproval = withSegment(token, 0, encode('apr_2'));
    const later = withSegment(token, 2, (Date.now() + 86_400_000 * 365).toString(36));
    for (const changed of [otherApprover, otherApproval, later]) {
      expect(verifyApprovalLink(changed)).toEqual({ ok: false, reason: 'tampered' });
    }
  });

  it("refuses another approver's signature on this approver's link, and a changed signature", () => {
    const expiresAt = inAnHour();
    const mine = approvalLinkToken('apr_1', 'user-a', expiresAt);
    const theirs = approvalLinkToken('apr_1', 'user-b', expiresAt);
    const spliced = withSegment(mine, 3, theirs.split('.')[3]);
    expect(verifyApprovalLink(spliced)).toEqual({ ok: false, reason: 'tampered' });

    const signature = mine.split('.')[3];
    const flipped = withSegment(mine, 3, (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1));
    expect(verifyApprovalLink(flipped)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifyApprovalLink(withSegment(mine, 3, signature.slice(0, -2)))).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses an expired link, and a link at the moment it expires', () => {
    const expiresAt = new Date(Date.now() - 1000);
    expect(verifyApprovalLink(approvalLinkToken('apr_1', 'user-a', expiresAt))).toEqual({
      ok: false,
      reason: 'expired',
    });
    const at = inAnHour();
    const token = approvalLinkToken('apr_1', 'user-a', at);
    expect(verifyApprovalLink(token, new Date(at.getTime() - 1))).toMatchObject({ ok: true });
    expect(verifyApprovalLink(token, at)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses tokens that are not of our shape as malformed', () => {
    const token = approvalLinkToken('apr_1', 'user-a', inAnHour());
    const [approval, approver, expires, signature] = token.split('.');
    const malformed = [
      '',
      'not-a-token',
      [approval, approver, expires].join('.'),
      `${token}.extra`,
      [approval, approver, 'ZZ!', signature].join('.'),
      [approval, approver, `0${expires}`, signature].join('.'), // same expiry, not as we write it
      ['', approver, expires, signature].join('.'),
      [`${approval}=`, approver, expires, signature].join('.'),
      [approval, approver, expires, `${signature}/`].join('.'),
      [approval, approver, expires, signature + 'A'.repeat(1100)].join('.'),
    ];
    for (const bad of malformed) expect(verifyApprovalLink(bad)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('carries ids with dots, slashes and non-ASCII characters intact', () => {
    const token = approvalLinkToken('apr.1/x', 'usér@acme.test', inAnHour());
    expect(token.split('.')).toHaveLength(4);
    expect(verifyApprovalLink(token)).toMatchObject({ ok: true, approvalId: 'apr.1/x', approverId: 'usér@acme.test' });
  });

  it('refuses to make a link without an approver or with an invalid expiry', () => {
    expect(() => approvalLinkToken('apr_1', '', inAnHour())).toThrow(/approver id/);
    expect(() => approvalLinkToken('apr_1', 'user-a', new Date(NaN))).toThrow(/valid expiry/);
  });
});
