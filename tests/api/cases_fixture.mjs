// cases_fixture.mjs — a small world of city management of its own for each test file: a fresh
// community under 文化路街道, a road somewhere in the south-west of 郑州市 (far from the demo's
// roads, so that routing by position finds only it), its three chiefs, two teams and their
// members, and helpers for images, forms and Open311's XML.
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { WENHUA, login, assertOk, freshArea, createUser, uniq } from './lib.mjs';

/** Sets a configuration key (as admin), whatever its current version. */
export async function setConfig(admin, key, value) {
    const all = assertOk(await admin.get('/api/v1/config'));
    const item = all.items.find((x) => x.key === key);
    assert.ok(item, `config key ${key}`);
    return assertOk(await admin.put(`/api/v1/config/${key}`, { value, version: item.version }));
}

/** A random place in the service area, kilometres away from the demo's streets. */
function somewhere() {
    return [round6(34.3 + Math.random() * 0.3), round6(112.8 + Math.random() * 0.7)];
}

/** Six decimals (about 0.1 m), as a GPS gives them. */
export const round6 = (x) => Math.round(x * 1e6) / 1e6;

/**
 * Creates the world: {area, lat, lng, road, chiefs: {general, first, second}, teams: {clean,
 * law}, chiefUser, member, member2 (clients logged in), at(dLat, dLng) → a point near the road}.
 */
export async function makeWorld(admin, name = '城管测试') {
    const area = await freshArea(admin, WENHUA, name + '社区');
    const [lat, lng] = somewhere();
    const road = assertOk(await admin.post('/api/v1/cases/roads', {
        area, name: uniq(name + '路'), description: '东西走向测试道路',
        geometry: [[lat, lng], [round6(lat + 0.0002), round6(lng + 0.0015)], [lat, round6(lng + 0.003)]],
    }), 201);
    const cu = await createUser(admin, { roles: ['road_chief'], areas: [area], name: '测试二级路长' });
    const mu = await createUser(admin, { roles: ['team_member'], areas: [area], name: '测试保洁员' });
    const mu2 = await createUser(admin, { roles: ['team_member'], areas: [area], name: '测试执法队员' });
    const chief = (level, user_id) => admin.post('/api/v1/cases/chiefs', {
        road_id: road.id, level, name: `测试${level}`, duties: ['包秩序', '包卫生', '包立面'],
        ...(user_id ? { user_id } : {}),
    });
    const second = assertOk(await chief('second', cu.id), 201);
    const first = assertOk(await chief('first'), 201);
    const general = assertOk(await chief('general'), 201);
    const clean = assertOk(await admin.post('/api/v1/cases/teams', {
        area, name: uniq('保洁队'), kind: '卫生清洁', leader_name: '测试', members: [mu.id],
    }), 201);
    const law = assertOk(await admin.post('/api/v1/cases/teams', {
        area, name: uniq('执法队'), kind: '综合执法', leader_name: '测试', members: [mu2.id],
    }), 201);
    const [chiefUser, member, member2] = await Promise.all([login(cu.username), login(mu.username),
        login(mu2.username)]);
    return {
        area, lat, lng, road, chiefs: { general, first, second }, teams: { clean, law },
        chiefUser, member, member2,
        at: (dLat = 0.0001, dLng = 0.001) => [round6(lat + dLat), round6(lng + dLng)],
    };
}

/** A valid case body at the world's road; override any member. */
export function caseBody(w, over = {}) {
    const [lat, lng] = w.at();
    return { service_code: 'litter', description: uniq('测试垃圾'), lat, lng, address: '测试路口', ...over };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
function crc32(buf) {
    let c = 0xffffffff;
    for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

/** A tiny real PNG (w×h, red). */
export function png(w = 4, h = 3) {
    const raw = Buffer.alloc(h * (1 + w * 3));
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (1 + w * 3) + 1 + x * 3] = 255;
    const chunk = (type, data) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(data.length);
        const td = Buffer.concat([Buffer.from(type), data]);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(td));
        return Buffer.concat([len, td, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w, 0);
    ihdr.writeUInt32BE(h, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The first bytes of a JPEG and of a WebP: enough for the magic-byte check. */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0'), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])]);
export const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([40, 0, 0, 0]),
    Buffer.from('WEBPVP8 '), Buffer.alloc(32, 1)]);

/** A multipart/form-data body from {name: string | {filename, type, data}}. */
export function multipart(fields) {
    const boundary = '----jiceng' + Math.random().toString(16).slice(2);
    const parts = [];
    for (const [name, v] of Object.entries(fields)) {
        if (v && typeof v === 'object' && 'data' in v) {
            parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; ` +
                `filename="${v.filename}"\r\nContent-Type: ${v.type}\r\n\r\n`), v.data, Buffer.from('\r\n'));
        } else {
            parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
                Buffer.isBuffer(v) ? v : Buffer.from(String(v)), Buffer.from('\r\n'));
        }
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** application/x-www-form-urlencoded from an object. */
export function form(fields) {
    return new URLSearchParams(fields).toString();
}

/**
 * A minimal XML reader for the answers of Open311: checks that the document is well formed
 * (every tag closed in order, only the five entities) and returns {name, children, text}.
 */
export function parseXml(text) {
    let s = text.trim();
    const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>/;
    assert.match(s, decl, 'the XML declaration');
    s = s.replace(decl, '');
    let i = 0;
    const decode = (t) => {
        assert.ok(!/&(?!(amp|lt|gt|quot|apos);)/.test(t), `bad entity in ${t}`);
        assert.ok(!/[<>]/.test(t), `raw markup in text ${t}`);
        return t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
            .replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    };
    const node = () => {
        const m = /^<([a-z_]+)(\/?)>/.exec(s.slice(i));
        assert.ok(m, `a tag at ${i}: ${s.slice(i, i + 40)}`);
        i += m[0].length;
        const el = { name: m[1], children: [], text: '' };
        if (m[2]) return el;
        for (;;) {
            if (s.startsWith(`</${el.name}>`, i)) {
                i += el.name.length + 3;
                return el;
            }
            if (s[i] === '<') {
                assert.notEqual(s[i + 1], '/', `unexpected close tag in <${el.name}> at ${i}`);
                el.children.push(node());
            } else {
                const j = s.indexOf('<', i);
                assert.ok(j > i, `unterminated <${el.name}>`);
                el.text += decode(s.slice(i, j));
                i = j;
            }
        }
    };
    const root = node();
    assert.equal(i, s.length, 'nothing after the root element');
    return root;
}

/** An element's children as {name: text}. */
export function fields(el) {
    return Object.fromEntries(el.children.map((c) => [c.name, c.text]));
}
