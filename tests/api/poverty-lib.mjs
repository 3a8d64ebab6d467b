// poverty-lib.mjs — helpers of the poverty API tests: valid citizen IDs (GB 11643) that no other
// test file makes, households in fresh villages, and 公示 that have already ended.
import assert from 'node:assert/strict';
import { assertOk, freshArea, shanghaiDate } from './lib.mjs';

export const TOWN = '410181110000'; // 北山口镇, granted to the user `poverty`
export const REGISTERED = '建档立卡贫困户';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The check character of 17 digits. */
export function checkChar(first17) {
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first17[i]) * W[i];
    return '10X98765432'[sum % 11];
}

/**
 * A generator of citizen IDs unique within one test file: each file passes its own 6-digit area
 * code (the demo world uses 410181), and the 3-digit sequence counts up.
 */
export function idMaker(area) {
    let seq = Math.floor(Math.random() * 200);
    const made = new Set();
    return (birth = '1980-05-17', sex = 1) => {
        for (;;) {
            seq = (seq + 1) % 500;
            const s = String(seq * 2 + (sex === 1 ? 1 : 0)).padStart(3, '0');
            const first = `${area}${birth.replaceAll('-', '')}${s}`;
            const id = first + checkChar(first);
            if (!made.has(id)) {
                made.add(id);
                return id;
            }
        }
    };
}

/** A family: [{name, citizen_id, relation, sex}] with the head first. */
export function family(cid, n, surname = '测') {
    const rel = ['户主', '配偶', '子', '女', '孙子', '母亲'];
    const years = [1965, 1967, 1990, 1993, 2015, 1940];
    const out = [];
    for (let i = 0; i < n; i++) {
        const sex = [1, 2, 1, 2, 1, 2][i];
        const birth = `${years[i]}-0${1 + (i % 9)}-1${i}`;
        out.push({ name: `${surname}${'甲乙丙丁戊己'[i]}`, citizen_id: cid(birth, sex), relation: rel[i], sex });
    }
    return out;
}

/** A village under 北山口镇 that no other test uses. */
export function freshVillage(admin, name = '测试村') {
    return freshArea(admin, TOWN, name);
}

export async function createHousehold(client, body) {
    return assertOk(await client.post('/api/v1/poverty/households', body), 201);
}

/** The household now (detail). */
export async function household(client, id) {
    return assertOk(await client.get(`/api/v1/poverty/households/${id}`));
}

/**
 * Takes a household into `status` the lawful way: a 公示 that started `ago` days back (so it has
 * ended), then the status change effective `effectiveAgo` days back.
 */
export async function stepWithNotice(client, id, status, kind, ago, effectiveAgo, reason = '测试') {
    const n = await client.post('/api/v1/poverty/notices', {
        household_id: id, target_status: status, target_kind: kind || '', start_date: shanghaiDate(-ago),
    });
    assertOk(n, 201);
    const h = await household(client, id);
    const res = await client.post(`/api/v1/poverty/households/${id}/status`, {
        status, kind: kind || '', effective_date: shanghaiDate(-effectiveAgo), reason, version: h.version,
    });
    return assertOk(res);
}

export async function step(client, id, status, kind, effectiveAgo, reason = '测试') {
    const h = await household(client, id);
    const res = await client.post(`/api/v1/poverty/households/${id}/status`, {
        status, kind: kind || '', effective_date: shanghaiDate(-effectiveAgo), reason, version: h.version,
    });
    return assertOk(res);
}

/** Runs a change-request transition with the version the change has now. */
export async function move(client, id, action, extra = {}) {
    const ch = assertOk(await client.get(`/api/v1/poverty/changes/${id}`));
    return client.post(`/api/v1/poverty/changes/${id}/transitions`, { action, version: ch.version, ...extra });
}

/** Submit (officer), approve (approver), apply (officer); returns the applied change. */
export async function approveAndApply(officer, approver, id) {
    assertOk(await move(officer, id, 'submit'));
    assertOk(await move(approver, id, 'approve'));
    const res = await move(officer, id, 'apply');
    const ch = assertOk(res);
    assert.equal(ch.state, 'applied');
    return ch;
}
