import { z } from 'zod';
import { unitContactSchema, urgeAtLimitSchema, type UnitContact, type UrgeAtLimit } from './urge.js';

// Reference data of the Wenzhou emergency-linkage system (see the August 2020 bulletin).
// The server ships these as defaults; an admin may edit them, so code that validates
// against them takes a `ReferenceData` value instead of importing the constants.

export interface District {
  id: string;
  name: string;
  adcode: number;
}

export interface Center {
  id: string;
  name: string;
  short: string;
  /** The center whose bulletin row already counts this one (附件2: urban centers under 市本级). */
  parent: string | null;
  /** Map districts this center covers. A center with several needs `district` on each incident. */
  districts: string[];
}

export interface UnitType {
  id: string;
  name: string;
}

export interface Unit {
  id: string;
  name: string;
  center: string;
  type: string;
}

export interface Limits {
  signMinutes: number;
  arriveMinutes: number;
  feedbackMinutes: number;
}

/** An admin's limits for a unit type, a center, or a unit type at one center. */
export interface LimitOverride extends Partial<Limits> {
  center?: string;
  unitType?: string;
}

export interface ReferenceData {
  centers: Center[];
  districts: District[];
  unitTypes: UnitType[];
  units: Unit[];
  defaultLimits: Limits;
  limitOverrides?: LimitOverride[];
  /** The share of each limit after which a pending order turns yellow (预警); 0.8 each when unset. */
  prewarnShares?: { sign?: number; arrive?: number; feedback?: number };
  /** Units' duty contacts (值班联系人), by unit id: who gets the 催办. */
  unitContacts?: Record<string, UnitContact>;
  /** Which limit kinds send a 催办 to the unit at the limit (each on when unset). */
  urgeAtLimit?: UrgeAtLimit;
}

export const DEFAULT_LIMITS: Limits = { signMinutes: 5, arriveMinutes: 20, feedbackMinutes: 60 };

export const DISTRICTS: District[] = [
  { id: 'lucheng', name: '鹿城区', adcode: 330302 },
  { id: 'longwan', name: '龙湾区', adcode: 330303 },
  { id: 'ouhai', name: '瓯海区', adcode: 330304 },
  { id: 'dongtou', name: '洞头区', adcode: 330305 },
  { id: 'yongjia', name: '永嘉县', adcode: 330324 },
  { id: 'pingyang', name: '平阳县', adcode: 330326 },
  { id: 'cangnan', name: '苍南县', adcode: 330327 },
  { id: 'wencheng', name: '文成县', adcode: 330328 },
  { id: 'taishun', name: '泰顺县', adcode: 330329 },
  { id: 'ruian', name: '瑞安市', adcode: 330381 },
  { id: 'yueqing', name: '乐清市', adcode: 330382 },
];

const URBAN = ['lucheng', 'longwan', 'ouhai'];

export const CENTERS: Center[] = [
  { id: 'city', name: '市本级', short: '市本级', parent: null, districts: URBAN },
  { id: 'lucheng', name: '鹿城区', short: '鹿城', parent: 'city', districts: ['lucheng'] },
  { id: 'longwan', name: '龙湾区', short: '龙湾', parent: 'city', districts: ['longwan'] },
  { id: 'ouhai', name: '瓯海区', short: '瓯海', parent: 'city', districts: ['ouhai'] },
  { id: 'kaifaqu', name: '开发区', short: '开发区', parent: 'city', districts: ['longwan'] },
  { id: 'dongtou', name: '洞头区', short: '洞头', parent: null, districts: ['dongtou'] },
  { id: 'ruian', name: '瑞安市', short: '瑞安', parent: null, districts: ['ruian'] },
  { id: 'yueqing', name: '乐清市', short: '乐清', parent: null, districts: ['yueqing'] },
  { id: 'yongjia', name: '永嘉县', short: '永嘉', parent: null, districts: ['yongjia'] },
  { id: 'pingyang', name: '平阳县', short: '平阳', parent: null, districts: ['pingyang'] },
  { id: 'cangnan', name: '苍南县', short: '苍南', parent: null, districts: ['cangnan'] },
  { id: 'wencheng', name: '文成县', short: '文成', parent: null, districts: ['wencheng'] },
  { id: 'taishun', name: '泰顺县', short: '泰顺', parent: null, districts: ['taishun'] },
];

export const UNIT_TYPES: UnitType[] = [
  { id: 'power', name: '供电' },
  { id: 'ecology', name: '生态环境' },
  { id: 'enforcement', name: '综合执法' },
  { id: 'market', name: '市场监管' },
  { id: 'utilities', name: '公用事业' },
  { id: 'health', name: '卫健' },
  { id: 'labour', name: '人力社保' },
  { id: 'emergency', name: '应急管理' },
  { id: 'transport', name: '交通运输' },
  { id: 'housing', name: '住建' },
  { id: 'police', name: '公安' },
  { id: 'street', name: '街道/乡镇政府' },
  { id: 'water', name: '水利' },
  { id: 'fire', name: '消防救援' },
  { id: 'rescue', name: '社会救援' },
];

/** 附件1: the city center's ten linkage units, in the bulletin's order. */
const CITY_UNITS: Array<[type: string, name: string]> = [
  ['power', '温州电力局'],
  ['ecology', '温州市生态环境局'],
  ['enforcement', '温州市综合执法局'],
  ['market', '温州市场监督管理局'],
  ['utilities', '温州市公用事业投资集团'],
  ['health', '温州市卫健委'],
  ['labour', '温州市人力资源和社会保障局'],
  ['emergency', '温州市应急管理局'],
  ['transport', '温州市交通运输局'],
  ['housing', '温州市住建局'],
];

function buildUnits(): Unit[] {
  const units: Unit[] = CITY_UNITS.map(([type, name]) => ({ id: `city.${type}`, name, center: 'city', type }));
  for (const center of CENTERS) {
    if (center.id === 'city') continue;
    for (const type of UNIT_TYPES) {
      units.push({ id: `${center.id}.${type.id}`, name: `${center.short}${type.name}`, center: center.id, type: type.id });
    }
  }
  return units;
}

export const UNITS: Unit[] = buildUnits();

export const DEFAULT_REFERENCE: ReferenceData = {
  centers: CENTERS,
  districts: DISTRICTS,
  unitTypes: UNIT_TYPES,
  units: UNITS,
  defaultLimits: DEFAULT_LIMITS,
};

/** Fast lookups over one version of the reference data. */
export class ReferenceIndex {
  readonly centers: ReadonlyMap<string, Center>;
  readonly districts: ReadonlyMap<string, District>;
  readonly units: ReadonlyMap<string, Unit>;
  readonly unitTypes: ReadonlyMap<string, UnitType>;

  constructor(readonly data: ReferenceData) {
    this.centers = new Map(data.centers.map((c) => [c.id, c]));
    this.districts = new Map(data.districts.map((d) => [d.id, d]));
    this.units = new Map(data.units.map((u) => [u.id, u]));
    this.unitTypes = new Map(data.unitTypes.map((t) => [t.id, t]));
  }

  /**
   * The limits of an order to `unitId`: the defaults, then an override for its unit type, then
   * for its center, then for both (the most specific wins, field by field).
   */
  limitsFor(unitId: string): Limits {
    const unit = this.units.get(unitId);
    const limits: Limits = { ...this.data.defaultLimits };
    if (!unit) return limits;
    const rank = (o: LimitOverride) => (o.unitType ? 1 : 0) + (o.center ? 2 : 0);
    const matching = (this.data.limitOverrides ?? [])
      .filter((o) => (o.center === undefined || o.center === unit.center) && (o.unitType === undefined || o.unitType === unit.type))
      .sort((a, b) => rank(a) - rank(b));
    for (const o of matching) {
      if (o.signMinutes !== undefined) limits.signMinutes = o.signMinutes;
      if (o.arriveMinutes !== undefined) limits.arriveMinutes = o.arriveMinutes;
      if (o.feedbackMinutes !== undefined) limits.feedbackMinutes = o.feedbackMinutes;
    }
    return limits;
  }

  /** The map district of an incident: explicit, or implied by a single-district center. */
  districtOf(center: string, district: string | undefined): string | undefined {
    if (district) return district;
    const c = this.centers.get(center);
    return c && c.districts.length === 1 ? c.districts[0] : undefined;
  }
}

export const DEFAULT_INDEX = new ReferenceIndex(DEFAULT_REFERENCE);

const refId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1-32 lowercase letters, digits, _ or -, starting with a letter');
const refName = z.string().min(1, 'must not be empty').max(40, 'must be at most 40 characters');
const positiveMinutes = z
  .number()
  .positive('must be positive')
  .max(7 * 24 * 60, 'must be at most 7 days');

const share = z.number().gt(0, 'must be more than 0').lt(1, 'must be less than 1 (a share of the limit, e.g. 0.8)');

/** Reference data as an admin may submit it: every id unique, every reference resolvable. */
export const referenceSchema = z
  .strictObject({
    centers: z
      .array(z.strictObject({ id: refId, name: refName, short: refName, parent: refId.nullable(), districts: z.array(refId).min(1) }))
      .min(1)
      .max(100),
    districts: z
      .array(z.strictObject({ id: refId, name: refName, adcode: z.number().int().min(100000).max(999999) }))
      .min(1)
      .max(100),
    unitTypes: z
      .array(z.strictObject({ id: refId, name: refName }))
      .min(1)
      .max(100),
    units: z
      .array(z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}\.[a-z][a-z0-9_-]{0,31}$/, 'must be <center>.<type>'), name: refName, center: refId, type: refId }))
      .min(1)
      .max(5000),
    defaultLimits: z.strictObject({ signMinutes: positiveMinutes, arriveMinutes: positiveMinutes, feedbackMinutes: positiveMinutes }),
    limitOverrides: z
      .array(
        z.strictObject({
          center: refId.optional(),
          unitType: refId.optional(),
          signMinutes: positiveMinutes.optional(),
          arriveMinutes: positiveMinutes.optional(),
          feedbackMinutes: positiveMinutes.optional(),
        }),
      )
      .max(500)
      .optional(),
    prewarnShares: z.strictObject({ sign: share.optional(), arrive: share.optional(), feedback: share.optional() }).optional(),
    unitContacts: z.record(z.string(), unitContactSchema).optional(),
    urgeAtLimit: urgeAtLimitSchema.optional(),
  })
  .superRefine((data, ctx) => {
    const unique = (list: Array<{ id: string }>, path: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
      return seen;
    };
    const centers = unique(data.centers, 'centers');
    const districts = unique(data.districts, 'districts');
    const types = unique(data.unitTypes, 'unitTypes');
    const units = unique(data.units, 'units');
    for (const unit of Object.keys(data.unitContacts ?? {})) {
      if (!units.has(unit)) ctx.addIssue({ code: 'custom', path: ['unitContacts', unit], message: `unknown unit "${unit}"` });
    }
    data.centers.forEach((c, i) => {
      if (c.parent !== null && (!centers.has(c.parent) || c.parent === c.id)) {
        ctx.addIssue({ code: 'custom', path: ['centers', i, 'parent'], message: `unknown center "${c.parent}"` });
      }
      c.districts.forEach((d, j) => {
        if (!districts.has(d)) ctx.addIssue({ code: 'custom', path: ['centers', i, 'districts', j], message: `unknown district "${d}"` });
      });
    });
    (data.limitOverrides ?? []).forEach((o, i) => {
      if (o.center === undefined && o.unitType === undefined) ctx.addIssue({ code: 'custom', path: ['limitOverrides', i], message: 'needs a center, a unitType or both' });
      if (o.center !== undefined && !centers.has(o.center)) ctx.addIssue({ code: 'custom', path: ['limitOverrides', i, 'center'], message: `unknown center "${o.center}"` });
      if (o.unitType !== undefined && !types.has(o.unitType))
        ctx.addIssue({ code: 'custom', path: ['limitOverrides', i, 'unitType'], message: `unknown unit type "${o.unitType}"` });
    });
    data.units.forEach((u, i) => {
      if (!centers.has(u.center)) ctx.addIssue({ code: 'custom', path: ['units', i, 'center'], message: `unknown center "${u.center}"` });
      if (!types.has(u.type)) ctx.addIssue({ code: 'custom', path: ['units', i, 'type'], message: `unknown unit type "${u.type}"` });
    });
  });
