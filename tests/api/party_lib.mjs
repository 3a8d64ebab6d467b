// party_lib.mjs — helpers of the party tests: a township of their own (so that the demo figures
// of 文化路街道 stay as the demo made them while the tests write), valid identifiers made from
// their standards' check formulas, a minimal .xlsx writer (zip, stored, inline strings) and a
// reader of the sheet an export sends back.
import { inflateRawSync } from 'node:zlib';
import { assertOk } from './lib.mjs';

export const WENHUA = '410105008000';

/** A new township under 金水区 (410105) with two communities; returns their codes. */
export async function freshTownship(admin, name = '测试街道') {
    for (let i = 0; i < 60; i++) {
        const n = 300 + Math.floor(Math.random() * 690);
        const code = `410105${n}000`;
        const res = await admin.post('/api/v1/areas', { code, parent: '410105', name: `${name}${n}`, kind: '街道' });
        if (res.status === 409) continue;
        assertOk(res, 201);
        const kids = [];
        for (const k of ['001', '002']) {
            const c = `410105${n}${k}`;
            assertOk(await admin.post('/api/v1/areas', { code: c, parent: code, name: `${name}${n}社区${k}`, kind: '社区' }), 201);
            kids.push(c);
        }
        return { street: code, communities: kids };
    }
    throw new Error('freshTownship: no free code');
}

const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CW = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100 check character of 17 characters. */
export function creditCheck(first17) {
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += ALPHA.indexOf(first17[i]) * CW[i];
    return ALPHA[(31 - (sum % 31)) % 31];
}

let codeSeq = Math.floor(Math.random() * 20000);
/** A fresh, valid unified social credit code (市场监管, 企业, 金水区). */
export function creditCode() {
    codeSeq += 1 + Math.floor(Math.random() * 7);
    let body = '';
    let x = codeSeq + process.pid * 100003;
    for (let i = 0; i < 7; i++) {
        body += ALPHA[x % 31];
        x = Math.floor(x / 31);
    }
    const first = `91410105MA${body}`;
    return first + creditCheck(first);
}

const IW = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid citizen ID (GB 11643) for a birth date YYYY-MM-DD, unique per call. */
let cidSeq = Math.floor(Math.random() * 900);
export function citizenId(birth) {
    cidSeq = (cidSeq + 1) % 1000;
    const first = `410105${birth.replaceAll('-', '')}${String(cidSeq).padStart(3, '0')}`;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first[i]) * IW[i];
    return first + '10X98765432'[sum % 11];
}

/** YYYY-MM-DD shifted by days from a date. */
export function addDays(ymd, n) {
    const d = new Date(ymd + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus whole months; a day the month lacks (31st, 29 February) gives the 1st of
 * the month after, as the server counts a period that has fully elapsed. */
export function addMonths(ymd, n) {
    const y = Number(ymd.slice(0, 4)), m = Number(ymd.slice(5, 7)) - 1 + n, d = Number(ymd.slice(8, 10));
    const ny = y + Math.floor(m / 12), nm = ((m % 12) + 12) % 12;
    const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
    if (d > last) return new Date(Date.UTC(ny, nm + 1, 1)).toISOString().slice(0, 10);
    return `${ny}-${String(nm + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** YYYY-MM-DD shifted by whole years (same month and day). */
export function addYears(ymd, n) {
    return addMonths(ymd, 12 * n);
}

/* ---- .xlsx: a zip of stored parts ---- */

const CRC = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
});
function crc32(buf) {
    let c = -1;
    for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
}

function zip(files) {
    const locals = [];
    const centrals = [];
    let offset = 0;
    for (const [name, text] of files) {
        const data = Buffer.from(text, 'utf8');
        const nameBuf = Buffer.from(name, 'utf8');
        const crc = crc32(data);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4);
        local.writeUInt16LE(0x0800, 6); // UTF-8 names
        local.writeUInt16LE(0, 8); // stored
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(data.length, 18);
        local.writeUInt32LE(data.length, 22);
        local.writeUInt16LE(nameBuf.length, 26);
        locals.push(local, nameBuf, data);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4);
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(0x0800, 8);
        central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(data.length, 20);
        central.writeUInt32LE(data.length, 24);
        central.writeUInt16LE(nameBuf.length, 28);
        central.writeUInt32LE(offset, 42);
        centrals.push(central, nameBuf);
        offset += 30 + nameBuf.length + data.length;
    }
    const cd = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(files.length, 8);
    end.writeUInt16LE(files.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, cd, end]);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An .xlsx of one sheet from rows of strings (the first row is the header). */
export function xlsx(rows) {
    const col = (i) => {
        let s = '';
        for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
        return s;
    };
    const sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
        rows.map((r, i) => `<row r="${i + 1}">` + r.map((v, k) => (v === '' || v === null || v === undefined ? ''
            : `<c r="${col(k)}${i + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('') + '</row>').join('') +
        '</sheetData></worksheet>';
    return zip([
        ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
            '<Default Extension="xml" ContentType="application/xml"/>' +
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'],
        ['_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'],
        ['xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="两新组织" sheetId="1" r:id="rId1"/></sheets></workbook>'],
        ['xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'],
        ['xl/worksheets/sheet1.xml', sheet],
    ]);
}

/** The parts of a zip (stored or deflated) as name → Buffer. */
export function unzip(buf) {
    const out = new Map();
    let end = buf.length - 22;
    while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
    if (end < 0) throw new Error('not a zip');
    const n = buf.readUInt16LE(end + 10);
    let p = buf.readUInt32LE(end + 16);
    for (let i = 0; i < n; i++) {
        const method = buf.readUInt16LE(p + 10);
        const csize = buf.readUInt32LE(p + 20);
        const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
        const name = buf.slice(p + 46, p + 46 + nlen).toString('utf8');
        const lo = buf.readUInt32LE(p + 42);
        const start = lo + 30 + buf.readUInt16LE(lo + 26) + buf.readUInt16LE(lo + 28);
        const data = buf.slice(start, start + csize);
        out.set(name, method === 8 ? inflateRawSync(data) : data);
        p += 46 + nlen + xlen + clen;
    }
    return out;
}

/** The text of every cell of the first sheet of an .xlsx, row by row (shared strings resolved). */
export function sheetRows(buf) {
    const parts = unzip(buf);
    const shared = [];
    const ss = parts.get('xl/sharedStrings.xml');
    if (ss) for (const m of ss.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g))
        shared.push([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
    const name = [...parts.keys()].find((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k));
    const xml = parts.get(name).toString('utf8');
    const rows = [];
    for (const r of xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
        const cells = [];
        for (const c of r[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
            const attrs = c[1], body = c[2] || '';
            const v = (/<v>([\s\S]*?)<\/v>/.exec(body) || [])[1];
            const t = (/t="(\w+)"/.exec(attrs) || [])[1];
            cells.push(t === 's' ? shared[Number(v)] : t === 'inlineStr' ? (/<t[^>]*>([\s\S]*?)<\/t>/.exec(body) || [])[1] : v ?? '');
        }
        rows.push(cells.map((s) => String(s).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')));
    }
    return rows;
}

/** A valid unit body for an area; override any member. */
export function unitBody(area, over = {}) {
    return {
        name: `测试两新组织${Math.floor(Math.random() * 1e9)}`,
        credit_code: creditCode(),
        kind: 'economic',
        category: '网络科技',
        area,
        address: '测试路1号',
        lat: 34.78,
        lng: 113.66,
        employees: 20,
        contact_name: '张三',
        contact_phone: '13800138000',
        ...over,
    };
}
