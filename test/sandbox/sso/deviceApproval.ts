// The verification page of the device authorization (what `verificationUriComplete` opens): the
// sandbox's stand-in for the IAM Identity Center sign-in page, where the signed-in user checks the
// code the tool shows and allows or denies the request. Plain HTML with one form, so a browser (the
// e2e suite's Chromium) or a test's POST can answer it.
//   GET  /_sso/device?user_code=ABCD-EFGH   the request and its Allow / Deny buttons
//   POST /_sso/device   user_code=…&decision=allow|deny   records the answer
import type { ServerResponse } from 'node:http';
import { readBody } from '../core/http';
import type { HttpRoute } from '../core/types';
import { DEVICE_PAGE_PATH, ssoState, type DeviceAuthorization } from './store';

export const deviceApprovalRoute: HttpRoute = {
  pathPrefix: DEVICE_PAGE_PATH,
  handle: async (req, res, ctx) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname !== DEVICE_PAGE_PATH) return page(res, 404, 'Not found', '<p>There is no such page.</p>');
    const state = ssoState(ctx.sandbox);
    if (req.method === 'GET') {
      const userCode = url.searchParams.get('user_code') ?? '';
      const device = pending(Object.values(state.devices), userCode);
      if (!device) return page(res, 400, 'Code not recognized', codeForm(userCode));
      return page(
        res,
        200,
        'Authorize request',
        `<p>Workshop Pipeline (or another tool) asks to use your IAM Identity Center session for <code>${escapeHtml(device.startUrl)}</code>.</p>
<p>Check that it shows this code: <strong id="user-code">${escapeHtml(device.userCode)}</strong></p>
<form method="post" action="">
<input type="hidden" name="user_code" value="${escapeHtml(device.userCode)}">
<button type="submit" name="decision" value="allow">Allow access</button>
<button type="submit" name="decision" value="deny">Deny access</button>
</form>`,
      );
    }
    if (req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
      const decision = form.get('decision');
      const device = pending(Object.values(state.devices), form.get('user_code') ?? '');
      if (!device || (decision !== 'allow' && decision !== 'deny'))
        return page(res, 400, 'Code not recognized', codeForm(form.get('user_code') ?? ''));
      device.decision = decision;
      ctx.sandbox.changed();
      return decision === 'allow'
        ? page(res, 200, 'Request approved', '<p>You can close this window and return to your editor.</p>')
        : page(res, 200, 'Request denied', '<p>The tool was not given access. You can close this window.</p>');
    }
    res.writeHead(405, { allow: 'GET, POST' });
    res.end();
  },
};

/** The unexpired, unanswered authorization with this user code. */
function pending(devices: DeviceAuthorization[], userCode: string): DeviceAuthorization | undefined {
  const code = userCode.trim().toUpperCase();
  return devices.find(
    (d) => d.userCode === code && d.decision === undefined && !d.redeemed && d.expiresAt > Date.now(),
  );
}

function codeForm(userCode: string): string {
  return `<p>Enter the code the tool shows, or start the sign-in again: codes expire after 10 minutes.</p>
<form method="get" action=""><input name="user_code" value="${escapeHtml(userCode)}"><button type="submit">Next</button></form>`;
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · IAM Identity Center (sandbox)</title></head><body><h1>${title}</h1>${body}</body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
