// lib.mjs — helpers for the black-box API tests: a client with a cookie jar, JSON requests,
// raw requests over a socket (for bytes fetch would rewrite), error assertions, and fixtures
// (unique names, fresh areas, dedicated users) so that every test file can run in parallel with
// the others against the same server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const PW = process.env.JICENG_PW || 'jiceng-demo';
export const BIN = process.env.JICENG_BIN || 'build/jiceng';
export const DB = process.env.JICENG_DB || '';
export const IS_PG = DB.startsWith('postgresql://') || DB.startsWith('postgres://');

// Demo world (DOMAIN.md): two streets of different districts.
export const LONGHAI = '410104007000'; // 陇海马路街道, granted to leader
export const WENHUA = '410105008000'; // 文化路街道, granted to leader2

let seq = 0;
/** A name no other test (or run) uses: prefix + pid + counter + random. */
export function uniq(prefix = 't') {
    seq += 1;
    return `${prefix}${process.pid.toString(36)}${seq}${randomBytes(3).toString('hex')}`;
}

/** YYYY-MM-DD of today in Asia/Shanghai (the server's calendar), shifted by `days`. */
export function shanghaiDate(days = 0) {
    const t = new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000);
    return t.toISOString().slice(0, 10);
}

/** The Set-Cookie lines of a fetch response (getSetCookie is missing in older Node 18). */
export function setCookies(res) {
    const h = res.headers;
    if (typeof h.getSetCookie === 'function') return h.getSetCookie();
    const one = h.get('set-cookie');
    return one ? one.split(/,(?=\s*[A-Za-z0-9_]+=)/) : [];
}

export class Client {
    constructor(name = 'anonymous') {
        this.name = name;
        this.cookies = new Map();
        this.headers = {};
    }

    cookieHeader() {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }

    storeCookies(res) {
        for (const c of setCookies(res)) {
            const [pair] = c.split(';');
            const eq = pair.indexOf('=');
            const k = pair.slice(0, eq).trim();
            const v = pair.slice(eq + 1).trim();
            if (v === '' || /max-age=0\b/i.test(c)) this.cookies.delete(k);
            else this.cookies.set(k, v);
        }
    }

    /**
     * Sends a request. body: an object (sent as JSON), a string or Buffer (sent as is, with
     * Content-Type application/json unless headers say otherwise), or undefined.
     * Returns {status, headers, text, json}.
     */
    async req(method, path, body, headers = {}) {
        const h = { ...this.headers, ...headers };
        if (this.cookies.size && !('cookie' in h) && !('Cookie' in h)) h.Cookie = this.cookieHeader();
        let payload;
        if (body !== undefined) {
            payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
            if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type'))
                h['Content-Type'] = 'application/json';
        }
        const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
        this.storeCookies(res);
        const text = await res.text();
        let json = null;
        try {
            json = text ? JSON.parse(text) : null;
        } catch {
            json = null;
        }
        return { status: res.status, headers: res.headers, text, json, method, path };
    }

    get(path, headers) { return this.req('GET', path, undefined, headers); }
    post(path, body, headers) { return this.req('POST', path, body, headers); }
    patch(path, body, headers) { return this.req('PATCH', path, body, headers); }
    put(path, body, headers) { return this.req('PUT', path, body, headers); }
    del(path, headers) { return this.req('DELETE', path, undefined, headers); }
}

/** Logs in and returns a client holding the session cookie; fails the test otherwise. */
export async function login(username, password = PW) {
    const c = new Client(username);
    const res = await c.post('/api/v1/session', { username, password });
    assert.equal(res.status, 200, `login ${username}: ${res.status} ${res.text}`);
    assert.ok(c.cookies.get('jc_session'), `login ${username}: no jc_session cookie`);
    c.me = res.json;
    return c;
}

/** Asserts an error answer: status, error.code, error.field (when given), messages present. */
export function assertError(res, status, code, field) {
    const where = `${res.method} ${res.path} → ${res.status} ${res.text.slice(0, 400)}`;
    assert.equal(res.status, status, where);
    assert.ok(res.json && res.json.error, `no error object: ${where}`);
    const e = res.json.error;
    if (code !== undefined) assert.equal(e.code, code, where);
    if (field !== undefined) assert.equal(e.field, field, where);
    assert.equal(typeof e.message, 'string', where);
    assert.ok(e.message.length > 0, where);
    assert.equal(typeof e.message_zh, 'string', where);
    assert.ok(/[\u4e00-\u9fff]/.test(e.message_zh), `message_zh is not Chinese: ${where}`);
    assert.match(res.headers.get('content-type') || '', /^application\/json/, where);
    return e;
}

/** Asserts a 2xx status with a readable message. */
export function assertOk(res, status = 200) {
    assert.equal(res.status, status, `${res.method} ${res.path} → ${res.status} ${res.text.slice(0, 400)}`);
    return res.json;
}

/** Runs the jiceng binary; resolves {code, stdout, stderr}. */
export function jiceng(args, opts = {}) {
    return new Promise((resolve) => {
        execFile(BIN, args, { timeout: 60000, ...opts }, (err, stdout, stderr) => {
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
        });
    });
}

/**
 * Creates a new area under `parent` with a random free code (retrying on a taken one) and
 * returns its code: a community/village (12 digits) below a township, a grid below those.
 */
export async function freshArea(admin, parent, name = '测试区域') {
    for (let i = 0; i < 50; i++) {
        const n = 200 + Math.floor(Math.random() * 800); // 1xx: fixed codes of the tests
        let code;
        if (parent.length === 12 && parent.endsWith('000')) code = parent.slice(0, 9) + String(n);
        else if (parent.length === 12) code = parent + String(n);
        else throw new Error(`freshArea: unsupported parent ${parent}`);
        const res = await admin.post('/api/v1/areas', {
            code, parent, name: `${name}${n}`, kind: code.length === 12 ? '社区' : '网格',
        });
        if (res.status === 201) return code;
        if (res.status !== 409) assertOk(res, 201);
    }
    throw new Error('freshArea: no free code');
}

/** Creates a user through the API (as admin) and returns {id, username}. */
export async function createUser(admin, { roles, areas, password = PW, name = '测试用户' }) {
    const username = uniq('u');
    const res = await admin.post('/api/v1/users', {
        username, display_name: name, password, roles, areas,
    });
    const u = assertOk(res, 201);
    return { id: u.id, username, version: u.version };
}

/** A valid task body for `area`; override any member. */
export function taskBody(area, over = {}) {
    return {
        title: uniq('任务'),
        description: '测试任务',
        area,
        category: '组织建设',
        responsible_unit: '测试单位',
        responsible_person: '张三',
        deadline: shanghaiDate(10),
        ...over,
    };
}

export async function createTask(client, area, over = {}) {
    const res = await client.post('/api/v1/ledger/tasks', taskBody(area, over));
    return assertOk(res, 201);
}

/** Runs a transition with the version of `task`; returns the response. */
export function transition(client, task, action, extra = {}) {
    return client.post(`/api/v1/ledger/tasks/${task.id}/transitions`, {
        action, version: task.version, ...extra,
    });
}

/** Number of tasks the client sees whose title or description contains `q`. */
export async function countTasks(client, q) {
    const res = await client.get(`/api/v1/ledger/tasks?q=${encodeURIComponent(q)}`);
    return assertOk(res).total;
}

/**
 * A raw HTTP/1.1 request over a socket: the request line goes out byte for byte (no URL
 * normalisation), the body may be larger than the server accepts. Resolves
 * {status, headers (lower-case names), body (Buffer), text} from whatever arrived before the
 * server closed; a reset after the answer is not an error.
 */
export function rawRequest({ method = 'GET', path = '/', headers = {}, body, chunked = false,
    sendBody = true }) {
    const url = new URL(BASE);
    return new Promise((resolve, reject) => {
        const sock = net.connect(Number(url.port || 80), url.hostname);
        const chunks = [];
        let done = false;
        const finish = () => {
            if (done) return;
            done = true;
            const buf = Buffer.concat(chunks);
            const sep = buf.indexOf('\r\n\r\n');
            if (sep < 0) {
                reject(new Error(`no HTTP answer (${buf.length} bytes)`));
                return;
            }
            const head = buf.slice(0, sep).toString('latin1').split('\r\n');
            const status = Number(head[0].split(' ')[1]);
            const hdrs = {};
            for (const line of head.slice(1)) {
                const i = line.indexOf(':');
                const k = line.slice(0, i).trim().toLowerCase();
                const v = line.slice(i + 1).trim();
                hdrs[k] = k in hdrs ? `${hdrs[k]}, ${v}` : v;
            }
            let rest = buf.slice(sep + 4);
            if (/chunked/i.test(hdrs['transfer-encoding'] || '')) {
                const parts = [];
                let p = 0;
                for (;;) {
                    const e = rest.indexOf('\r\n', p);
                    if (e < 0) break;
                    const n = parseInt(rest.slice(p, e).toString(), 16);
                    if (!n) break;
                    parts.push(rest.slice(e + 2, e + 2 + n));
                    p = e + 2 + n + 2;
                }
                rest = Buffer.concat(parts);
            } else if (hdrs['content-length'] !== undefined) {
                rest = rest.slice(0, Number(hdrs['content-length']));
            }
            sock.destroy();
            resolve({ status, headers: hdrs, body: rest, text: rest.toString('utf8') });
        };
        sock.setTimeout(20000, () => {
            sock.destroy();
            if (!done) finish();
        });
        sock.on('data', (d) => {
            chunks.push(d);
            // complete once the head and a Content-Length body (or the chunked end) arrived
            const buf = Buffer.concat(chunks);
            const sep = buf.indexOf('\r\n\r\n');
            if (sep < 0) return;
            const head = buf.slice(0, sep).toString('latin1');
            const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
            if (m && buf.length - sep - 4 >= Number(m[1])) finish();
            else if (/\r\ntransfer-encoding:\s*chunked/i.test(head) && buf.includes('\r\n0\r\n\r\n', sep)) finish();
        });
        sock.on('error', () => finish());
        sock.on('close', () => finish());
        sock.on('connect', async () => {
            const h = { Host: url.host, Connection: 'close', ...headers };
            const payload = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
            if (payload && !chunked && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length'))
                h['Content-Length'] = String(payload.length);
            if (chunked) h['Transfer-Encoding'] = 'chunked';
            let head = `${method} ${path} HTTP/1.1\r\n`;
            for (const [k, v] of Object.entries(h)) head += `${k}: ${v}\r\n`;
            head += '\r\n';
            sock.write(head);
            if (!payload || !sendBody) return;
            // The body goes out in pieces, and stops once the server has answered: a server may
            // refuse a body by its Content-Length and close, and writing on would end in EPIPE,
            // which makes node drop the answer already received.
            const piece = 16384;
            for (let i = 0; i < payload.length && !chunks.length && !done && !sock.destroyed; i += piece) {
                const part = payload.subarray(i, i + piece);
                const bytes = chunked
                    ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')])
                    : part;
                await new Promise((ok) => {
                    if (sock.write(bytes)) {
                        setImmediate(ok);
                    } else {
                        sock.once('drain', ok);
                        sock.once('close', ok);
                    }
                });
                await new Promise((ok) => setImmediate(ok));
            }
            if (chunked && !chunks.length && !done && !sock.destroyed) sock.write('0\r\n\r\n');
        });
    });
}

/** Security headers every answer carries. */
export function assertSecurityHeaders(get, where) {
    const csp = get('content-security-policy') || '';
    assert.match(csp, /default-src 'self'/, `CSP missing: ${where}`);
    assert.match(csp, /frame-ancestors 'none'/, `CSP frame-ancestors missing: ${where}`);
    assert.equal(get('x-frame-options'), 'DENY', `X-Frame-Options: ${where}`);
    assert.equal(get('x-content-type-options'), 'nosniff', `nosniff: ${where}`);
}
