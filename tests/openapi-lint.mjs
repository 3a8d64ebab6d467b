#!/usr/bin/env node
// openapi-lint.mjs — checks jiceng's OpenAPI description (Node built-ins only).
//
//   node tests/openapi-lint.mjs --url http://127.0.0.1:8080 [--bin build/jiceng]
//                               [--probe --user admin --password PW]
//   node tests/openapi-lint.mjs --file doc.json [--bin build/jiceng]
//
// 1. Structure: the document is OpenAPI 3.0.x; every $ref resolves; every operation has
//    responses with descriptions, unique operationIds and declared tags; path templates and
//    path parameters agree; parameters are well formed; security requirements name declared
//    schemes; `required` members of object schemas are declared properties.
// 2. Routes: every route printed by `jiceng routes` (--bin, default build/jiceng) is described
//    with the same method and path, and nothing is described that is not routed.
// 3. --probe (needs --url): logs in, calls every GET operation whose path parameters have an
//    `example`, and validates the real answer against the documented response schema —
//    strictly: a member the schema does not declare is an error, so the document cannot fall
//    behind the server. Also checks that a secured GET without login answers the documented
//    401 error shape.
//
// Exit status: 0 when every check passes, 1 when any fails, 2 on bad usage.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function usage(msg) {
    if (msg) console.error(`openapi-lint: ${msg}`);
    console.error(
        'usage: node tests/openapi-lint.mjs (--url BASE | --file DOC.json) [--bin JICENG] [--no-routes]\n' +
            '                                   [--probe --user NAME --password PW]',
    );
    process.exit(2);
}

function parseArgs(argv) {
    const o = { bin: process.env.JICENG_BIN || 'build/jiceng', routes: true, probe: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const val = () => {
            if (i + 1 >= argv.length) usage(`${a} needs a value`);
            return argv[++i];
        };
        if (a === '--url') o.url = val().replace(/\/$/, '');
        else if (a === '--file') o.file = val();
        else if (a === '--bin') o.bin = val();
        else if (a === '--no-routes') o.routes = false;
        else if (a === '--probe') o.probe = true;
        else if (a === '--user') o.user = val();
        else if (a === '--password') o.password = val();
        else if (a === '-h' || a === '--help') usage();
        else usage(`unknown argument ${a}`);
    }
    if (!o.url === !o.file) usage('give exactly one of --url and --file');
    if (o.probe && (!o.url || !o.user || !o.password)) usage('--probe needs --url, --user and --password');
    return o;
}

const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);

// ---- $ref resolution ----

function pointerGet(doc, ref) {
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
    let cur = doc;
    for (const raw of ref.slice(2).split('/')) {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (cur === null || typeof cur !== 'object' || !(key in cur)) return undefined;
        cur = cur[key];
    }
    return cur;
}

function deref(doc, node, seen = new Set()) {
    while (node && typeof node === 'object' && typeof node.$ref === 'string') {
        if (seen.has(node.$ref)) return undefined; // a cycle of bare refs
        seen.add(node.$ref);
        node = pointerGet(doc, node.$ref);
    }
    return node;
}

function checkRefs(doc) {
    const walk = (node, where) => {
        if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${where}/${i}`));
        if (!node || typeof node !== 'object') return;
        if ('$ref' in node) {
            if (typeof node.$ref !== 'string' || !node.$ref.startsWith('#/'))
                fail(where, `$ref ${JSON.stringify(node.$ref)} is not a local reference`);
            else if (pointerGet(doc, node.$ref) === undefined)
                fail(where, `$ref ${node.$ref} does not resolve`);
            const siblings = Object.keys(node).filter((k) => k !== '$ref');
            if (siblings.length) fail(where, `$ref with siblings ${siblings.join(', ')} (ignored in OpenAPI 3.0)`);
        }
        for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
    };
    walk(doc, '#');
}

// ---- structure ----

const SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

function checkSchema(doc, s, where) {
    if (!s || typeof s !== 'object') return fail(where, 'schema is not an object');
    if (s.$ref) return;
    if ('type' in s && !SCHEMA_TYPES.has(s.type)) fail(where, `type ${JSON.stringify(s.type)} is not an OpenAPI 3.0 type`);
    if ('nullable' in s && typeof s.nullable !== 'boolean') fail(where, 'nullable must be a boolean');
    if (s.type === 'array' && !s.items) fail(where, 'an array schema needs items');
    if (s.required !== undefined) {
        if (!Array.isArray(s.required) || s.required.length === 0) fail(where, 'required must be a non-empty array');
        else if (s.properties)
            for (const r of s.required) if (!(r in s.properties)) fail(where, `required member "${r}" is not among the properties`);
    }
    if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0)) fail(where, 'enum must be a non-empty array');
    if (s.pattern !== undefined) {
        try {
            new RegExp(s.pattern, 'u');
        } catch (e) {
            fail(where, `pattern does not compile: ${e.message}`);
        }
    }
    for (const k of ['allOf', 'oneOf', 'anyOf']) {
        if (s[k] === undefined) continue;
        if (!Array.isArray(s[k]) || !s[k].length) fail(where, `${k} must be a non-empty array`);
        else s[k].forEach((x, i) => checkSchema(doc, x, `${where}/${k}/${i}`));
    }
    if (s.properties) for (const [k, v] of Object.entries(s.properties)) checkSchema(doc, v, `${where}/properties/${k}`);
    if (s.items) checkSchema(doc, s.items, `${where}/items`);
    if (s.additionalProperties && typeof s.additionalProperties === 'object')
        checkSchema(doc, s.additionalProperties, `${where}/additionalProperties`);
}

function checkContent(doc, content, where) {
    if (!content || typeof content !== 'object' || !Object.keys(content).length)
        return fail(where, 'content must name at least one media type');
    for (const [mt, m] of Object.entries(content)) {
        if (m.schema) checkSchema(doc, m.schema, `${where}/${mt}/schema`);
        else fail(`${where}/${mt}`, 'no schema');
    }
}

function checkParameter(doc, p, where) {
    p = deref(doc, p);
    if (!p) return null;
    if (typeof p.name !== 'string' || !p.name) fail(where, 'parameter without a name');
    if (!['query', 'header', 'path', 'cookie'].includes(p.in)) fail(where, `parameter "in" is ${JSON.stringify(p.in)}`);
    if (p.in === 'path' && p.required !== true) fail(where, `path parameter ${p.name} must be required: true`);
    if (!p.schema && !p.content) fail(where, `parameter ${p.name} has neither schema nor content`);
    if (p.schema) checkSchema(doc, p.schema, `${where}/schema`);
    return p;
}

function checkStructure(doc) {
    if (typeof doc.openapi !== 'string' || !/^3\.0\.\d+$/.test(doc.openapi))
        fail('#/openapi', `expected 3.0.x, found ${JSON.stringify(doc.openapi)}`);
    if (!doc.info || typeof doc.info.title !== 'string' || typeof doc.info.version !== 'string')
        fail('#/info', 'needs a title and a version (strings)');
    if (!doc.paths || typeof doc.paths !== 'object') return fail('#/paths', 'missing');

    const schemes = (doc.components && doc.components.securitySchemes) || {};
    for (const [name, s] of Object.entries(schemes)) {
        const where = `#/components/securitySchemes/${name}`;
        if (s.type === 'apiKey' && (!s.name || !['query', 'header', 'cookie'].includes(s.in))) fail(where, 'apiKey needs name and in');
        else if (s.type === 'http' && !s.scheme) fail(where, 'http needs a scheme');
        else if (!['apiKey', 'http', 'oauth2', 'openIdConnect'].includes(s.type)) fail(where, `unknown type ${s.type}`);
    }
    const checkSecurity = (sec, where) => {
        if (sec === undefined) return;
        if (!Array.isArray(sec)) return fail(where, 'security must be an array');
        for (const req of sec)
            for (const name of Object.keys(req)) if (!(name in schemes)) fail(where, `security scheme ${name} is not declared`);
    };
    checkSecurity(doc.security, '#/security');

    const tags = new Set((doc.tags || []).map((t) => t.name));
    const tagCount = (doc.tags || []).length;
    if (tags.size !== tagCount) fail('#/tags', 'a tag is declared twice');

    for (const [name, s] of Object.entries((doc.components && doc.components.schemas) || {}))
        checkSchema(doc, s, `#/components/schemas/${name}`);

    const opIds = new Map();
    let nops = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
        const pw = `paths[${path}]`;
        if (!path.startsWith('/')) fail(pw, 'a path must start with /');
        const vars = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const itemParams = (item.parameters || []).map((p, i) => checkParameter(doc, p, `${pw}/parameters/${i}`));
        let ops = 0;
        for (const m of METHODS) {
            const op = item[m];
            if (!op) continue;
            ops++;
            nops++;
            const ow = `${m.toUpperCase()} ${path}`;
            if (!op.summary) fail(ow, 'no summary');
            if (op.operationId) {
                if (opIds.has(op.operationId)) fail(ow, `operationId ${op.operationId} also used by ${opIds.get(op.operationId)}`);
                opIds.set(op.operationId, ow);
            }
            for (const t of op.tags || []) if (!tags.has(t)) fail(ow, `tag ${t} is not declared in #/tags`);
            checkSecurity(op.security, `${ow}/security`);
            const opParams = (op.parameters || []).map((p, i) => checkParameter(doc, p, `${ow}/parameters/${i}`));
            const seen = new Set();
            for (const p of opParams.filter(Boolean)) {
                const key = `${p.in}:${p.name}`;
                if (seen.has(key)) fail(ow, `parameter ${p.name} in ${p.in} given twice`);
                seen.add(key);
            }
            // operation-level parameters override path-level ones with the same name+in
            const all = new Map();
            for (const p of [...itemParams, ...opParams].filter(Boolean)) all.set(`${p.in}:${p.name}`, p);
            const pathParams = [...all.values()].filter((p) => p.in === 'path').map((p) => p.name);
            for (const v of vars) if (!pathParams.includes(v)) fail(ow, `path variable {${v}} has no path parameter`);
            for (const p of pathParams) if (!vars.includes(p)) fail(ow, `path parameter ${p} is not in the path`);
            if (op.requestBody) {
                const rb = deref(doc, op.requestBody);
                if (rb) checkContent(doc, rb.content, `${ow}/requestBody/content`);
            }
            if (!op.responses || typeof op.responses !== 'object' || !Object.keys(op.responses).length) {
                fail(ow, 'no responses');
                continue;
            }
            let success = false;
            for (const [code, r0] of Object.entries(op.responses)) {
                const rw = `${ow}/responses/${code}`;
                if (!/^([1-5][0-9]{2}|[1-5]XX|default)$/.test(code)) fail(rw, 'not a status code');
                if (/^[23]/.test(code)) success = true;
                const r = deref(doc, r0);
                if (!r) continue;
                if (typeof r.description !== 'string') fail(rw, 'a response needs a description');
                if (r.content) checkContent(doc, r.content, `${rw}/content`);
                if (/^[45]/.test(code) && r.content) {
                    const s = r.content['application/json'] && r.content['application/json'].schema;
                    if (!s || s.$ref !== '#/components/schemas/Error') fail(rw, 'an error response should use the Error schema');
                }
            }
            if (!success) fail(ow, 'no 2xx or 3xx response');
        }
        if (!ops) fail(pw, 'no operations');
    }
    return nops;
}

// ---- routes ----

function checkRoutes(doc, bin) {
    let out;
    try {
        out = execFileSync(bin, ['routes'], { encoding: 'utf8' });
    } catch (e) {
        fail('routes', `cannot run ${bin} routes: ${e.message.split('\n')[0]}`);
        return 0;
    }
    const routes = out.split('\n').map((l) => l.trim()).filter(Boolean);
    const routed = new Set();
    for (const line of routes) {
        const [method, path] = line.split(/\s+/);
        routed.add(`${method.toLowerCase()} ${path}`);
        const item = doc.paths && doc.paths[path];
        if (!item) fail('routes', `${method} ${path} is routed but its path is not described`);
        else if (!item[method.toLowerCase()]) fail('routes', `${method} ${path} is routed but the method is not described`);
    }
    for (const [path, item] of Object.entries(doc.paths || {}))
        for (const m of METHODS)
            if (item[m] && !routed.has(`${m} ${path}`)) fail('routes', `${m.toUpperCase()} ${path} is described but not routed`);
    return routes.length;
}

// ---- probe: real answers against the schemas ----

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(v) {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'array';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return typeof v;
}

/** The properties a schema declares, through allOf. null when it allows any member. */
function declared(doc, s, acc = new Set()) {
    s = deref(doc, s);
    if (!s) return acc;
    if (s.additionalProperties === true || (s.additionalProperties && typeof s.additionalProperties === 'object')) return null;
    for (const k of Object.keys(s.properties || {})) acc.add(k);
    for (const sub of s.allOf || []) if (declared(doc, sub, acc) === null) return null;
    return acc;
}

function validate(doc, s0, v, where, errs, outer = true) {
    const s = deref(doc, s0);
    if (!s) return errs.push(`${where}: unresolvable schema`);
    if (v === null) {
        if (s.nullable) return;
        if (!s.type && !s.allOf && !s.oneOf && !s.anyOf && !s.enum) return; // any value
        if (s.allOf && !s.type) {
            // nullable written on a branch
            if (s.allOf.some((x) => (deref(doc, x) || {}).nullable)) return;
        }
        return errs.push(`${where}: null is not allowed`);
    }
    if (s.allOf) for (const sub of s.allOf) validate(doc, sub, v, where, errs, false);
    if (s.oneOf || s.anyOf) {
        const list = s.oneOf || s.anyOf;
        const n = list.filter((sub) => {
            const e = [];
            validate(doc, sub, v, where, e, true);
            return e.length === 0;
        }).length;
        if (s.oneOf ? n !== 1 : n < 1) errs.push(`${where}: matches ${n} of the ${s.oneOf ? 'oneOf' : 'anyOf'} schemas`);
    }
    const t = typeOf(v);
    if (s.type && !(s.type === t || (s.type === 'number' && t === 'integer')))
        return errs.push(`${where}: expected ${s.type}, found ${t} ${JSON.stringify(v).slice(0, 60)}`);
    if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
        errs.push(`${where}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    if (typeof v === 'number') {
        if (s.minimum !== undefined && v < s.minimum) errs.push(`${where}: ${v} < minimum ${s.minimum}`);
        if (s.maximum !== undefined && v > s.maximum) errs.push(`${where}: ${v} > maximum ${s.maximum}`);
    }
    if (typeof v === 'string') {
        const len = [...v].length;
        if (s.minLength !== undefined && len < s.minLength) errs.push(`${where}: shorter than ${s.minLength}`);
        if (s.maxLength !== undefined && len > s.maxLength) errs.push(`${where}: longer than ${s.maxLength}`);
        if (s.pattern && !new RegExp(s.pattern, 'u').test(v)) errs.push(`${where}: ${JSON.stringify(v)} does not match ${s.pattern}`);
        if (s.format === 'date' && !DATE.test(v)) errs.push(`${where}: ${JSON.stringify(v)} is not a date`);
        if (s.format === 'date-time' && !DATETIME.test(v)) errs.push(`${where}: ${JSON.stringify(v)} is not a date-time`);
    }
    if (Array.isArray(v)) {
        if (s.minItems !== undefined && v.length < s.minItems) errs.push(`${where}: fewer than ${s.minItems} items`);
        if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(`${where}: more than ${s.maxItems} items`);
        if (s.items) v.forEach((x, i) => validate(doc, s.items, x, `${where}[${i}]`, errs));
    }
    if (t === 'object') {
        for (const r of s.required || []) if (!(r in v)) errs.push(`${where}: required member "${r}" is missing`);
        for (const [k, ps] of Object.entries(s.properties || {})) if (k in v) validate(doc, ps, v[k], `${where}.${k}`, errs);
        if (outer && (s.properties || s.allOf) && !s.oneOf && !s.anyOf) {
            const known = declared(doc, s);
            if (known) for (const k of Object.keys(v)) if (!known.has(k)) errs.push(`${where}: member "${k}" is not described`);
        }
    }
}

async function probe(doc, o) {
    const login = await fetch(`${o.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: o.user, password: o.password }),
    });
    if (login.status !== 200) {
        fail('probe', `login as ${o.user} answered ${login.status}`);
        return 0;
    }
    const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
    let n = 0;
    const check = async (label, path, op, headers, want) => {
        const res = await fetch(`${o.url}${path}`, { headers });
        const text = await res.text();
        n++;
        const r = deref(doc, op.responses[String(res.status)]);
        if (!r) return fail(label, `answered ${res.status}, which is not described: ${text.slice(0, 200)}`);
        if (want && res.status !== want) fail(label, `answered ${res.status}, expected ${want}: ${text.slice(0, 200)}`);
        const schema = r.content && r.content['application/json'] && r.content['application/json'].schema;
        if (!schema) return;
        let body;
        try {
            body = JSON.parse(text);
        } catch {
            return fail(label, 'the answer is not JSON');
        }
        const errs = [];
        validate(doc, schema, body, 'body', errs);
        for (const e of errs.slice(0, 20)) fail(`${label} ${res.status}`, e);
        if (errs.length > 20) fail(label, `… and ${errs.length - 20} more`);
        for (const h of Object.keys(r.headers || {}))
            if (h.toLowerCase() !== 'set-cookie' && !res.headers.has(h)) fail(`${label} ${res.status}`, `header ${h} is missing`);
    };
    for (const [path, item] of Object.entries(doc.paths)) {
        const op = item.get;
        if (!op) continue;
        const params = [...(item.parameters || []), ...(op.parameters || [])].map((p) => deref(doc, p)).filter(Boolean);
        let url = path, missing = false;
        for (const v of path.matchAll(/\{([^}]+)\}/g)) {
            const p = params.find((x) => x.in === 'path' && x.name === v[1]);
            const ex = p && (p.example !== undefined ? p.example : p.schema && deref(doc, p.schema) && deref(doc, p.schema).example);
            if (ex === undefined) missing = true;
            else url = url.replace(v[0], encodeURIComponent(String(ex)));
        }
        const required = params.filter((p) => p.in === 'query' && p.required);
        const q = required.map((p) => `${p.name}=${encodeURIComponent(String(p.example ?? (deref(doc, p.schema) || {}).example ?? ''))}`);
        if (q.length) url += `?${q.join('&')}`;
        if (missing) {
            fail(`GET ${path}`, 'a path parameter has no example, so the probe cannot call it');
            continue;
        }
        await check(`GET ${url}`, url, op, { Cookie: cookie });
        const open = Array.isArray(op.security) && op.security.length === 0;
        if (!open) await check(`GET ${url} (no login)`, url, op, {}, 401);
    }
    await fetch(`${o.url}/api/v1/session`, { method: 'DELETE', headers: { Cookie: cookie } });
    return n;
}

// ---- main ----

const o = parseArgs(process.argv.slice(2));
let doc;
try {
    if (o.file) doc = JSON.parse(readFileSync(o.file, 'utf8'));
    else {
        const res = await fetch(`${o.url}/api/v1/openapi.json`);
        if (res.status !== 200) usage(`${o.url}/api/v1/openapi.json answered ${res.status}`);
        doc = await res.json();
    }
} catch (e) {
    console.error(`openapi-lint: cannot load the document: ${e.message}`);
    process.exit(1);
}

checkRefs(doc);
const nops = checkStructure(doc);
const nroutes = o.routes ? checkRoutes(doc, o.bin) : 0;
const ncalls = o.probe ? await probe(doc, o) : 0;

for (const p of problems) console.error(`FAIL ${p}`);
const summary =
    `${Object.keys(doc.paths || {}).length} paths, ${nops} operations` +
    (o.routes ? `, ${nroutes} routes` : '') +
    (o.probe ? `, ${ncalls} probe calls` : '');
if (problems.length) {
    console.error(`openapi-lint: ${problems.length} problem(s) (${summary})`);
    process.exit(1);
}
console.log(`openapi-lint: ok (${summary})`);
