/**
 * The sandbox catalog: countries, networks, bundles, exchange rates, HLR prefixes and the magic
 * phone numbers documented in the spec's Sandbox section. Static data; nothing here changes.
 */

/** A fixed bundle as the catalog lists it. */
export interface Bundle {
  id: number;
  name: string;
  type: 'DATA' | 'AIRTIME' | 'VOICE' | 'SMS' | 'COMBO';
  price_usd: number;
  validity_days: number | null;
}

/** A network and what it sells. */
export interface SandboxNetwork {
  id: number;
  name: string;
  countryCode: string;
  logo_url: string | null;
  /** Custom-airtime range in local currency, or `null` for bundle-only networks. */
  custom: { min: number; max: number } | null;
  bundles: Bundle[];
  /** National number prefixes (after the calling code) that the sandbox HLR maps here. */
  prefixes: string[];
}

/** A country and its currency. */
export interface SandboxCountry {
  code: string;
  name: string;
  currency: string;
  calling_code: string;
  /** Local currency per 1 USD. */
  rate: number;
}

export const COUNTRIES: readonly SandboxCountry[] = [
  { code: 'GH', name: 'Ghana', currency: 'GHS', calling_code: '+233', rate: 12.35 },
  { code: 'NG', name: 'Nigeria', currency: 'NGN', calling_code: '+234', rate: 1550 },
  { code: 'KE', name: 'Kenya', currency: 'KES', calling_code: '+254', rate: 129.5 },
];

export const NETWORKS: readonly SandboxNetwork[] = [
  {
    id: 22,
    name: 'MTN Ghana',
    countryCode: 'GH',
    logo_url: 'https://cdn.clickairtime.com/logos/mtn-gh.png',
    custom: { min: 1, max: 5000 },
    bundles: [
      { id: 101, name: '500MB Data - 30 Days', type: 'DATA', price_usd: 2.5, validity_days: 30 },
      { id: 102, name: '2GB Data - 30 Days', type: 'DATA', price_usd: 7.5, validity_days: 30 },
      { id: 103, name: '100 Minutes - 7 Days', type: 'VOICE', price_usd: 1.5, validity_days: 7 },
    ],
    prefixes: ['24', '25', '53', '54', '55', '59'],
  },
  {
    id: 23,
    name: 'Vodafone Ghana',
    countryCode: 'GH',
    logo_url: 'https://cdn.clickairtime.com/logos/vodafone-gh.png',
    custom: { min: 1, max: 5000 },
    bundles: [{ id: 111, name: '1GB Data - 30 Days', type: 'DATA', price_usd: 4, validity_days: 30 }],
    prefixes: ['20', '50'],
  },
  {
    id: 24,
    name: 'AirtelTigo Ghana',
    countryCode: 'GH',
    logo_url: null,
    custom: null,
    bundles: [
      { id: 121, name: '750MB Data - 14 Days', type: 'DATA', price_usd: 2, validity_days: 14 },
      { id: 122, name: '20 GHS Airtime Bundle', type: 'AIRTIME', price_usd: 1.62, validity_days: null },
    ],
    prefixes: ['26', '27', '56', '57'],
  },
  {
    id: 31,
    name: 'MTN Nigeria',
    countryCode: 'NG',
    logo_url: 'https://cdn.clickairtime.com/logos/mtn-ng.png',
    custom: { min: 50, max: 50000 },
    bundles: [{ id: 201, name: '1.5GB Data - 30 Days', type: 'DATA', price_usd: 1.3, validity_days: 30 }],
    prefixes: ['703', '706', '803', '806', '810', '813', '814', '816', '903', '906'],
  },
  {
    id: 32,
    name: 'Airtel Nigeria',
    countryCode: 'NG',
    logo_url: 'https://cdn.clickairtime.com/logos/airtel-ng.png',
    custom: { min: 50, max: 50000 },
    bundles: [],
    prefixes: ['701', '708', '802', '808', '812', '902', '907'],
  },
  {
    id: 41,
    name: 'Safaricom Kenya',
    countryCode: 'KE',
    logo_url: 'https://cdn.clickairtime.com/logos/safaricom-ke.png',
    custom: { min: 10, max: 10000 },
    bundles: [{ id: 301, name: '1GB Data - 24 Hours', type: 'DATA', price_usd: 0.75, validity_days: 1 }],
    prefixes: ['70', '71', '72', '79'],
  },
  {
    id: 43,
    name: 'Airtel Kenya',
    countryCode: 'KE',
    logo_url: null,
    custom: { min: 10, max: 10000 },
    bundles: [],
    prefixes: ['73', '75', '78'],
  },
];

/** Ids the vendor's examples use for a network listed under another id. */
export const NETWORK_ALIASES: ReadonlyMap<number, number> = new Map([[42, 22]]);

/** Magic numbers of the spec's Sandbox section and what each does. */
export const MAGIC_NUMBERS = {
  '+233200000001': 'fails',
  '+233200000002': 'hlr_lookup_failed',
  '+233200000003': 'unsupported_network',
  '+233200000004': 'stays_pending',
  '+233200000005': 'delivery_failed',
  '+233200000006': 'internal_error',
} as const satisfies Record<string, string>;

export type MagicOutcome = (typeof MAGIC_NUMBERS)[keyof typeof MAGIC_NUMBERS];

/** The magic outcome a number selects, if any. */
export function magicOutcome(phone: string): MagicOutcome | undefined {
  return (MAGIC_NUMBERS as Record<string, MagicOutcome>)[phone];
}

const countryByCode = new Map(COUNTRIES.map((c) => [c.code, c]));
const networkById = new Map(NETWORKS.map((n) => [n.id, n]));

/** A country by ISO code. */
export function country(code: string): SandboxCountry {
  const c = countryByCode.get(code);
  if (!c) throw new Error(`catalog: no country ${code}`);
  return c;
}

/** A network by id (aliases resolved), or `undefined`. */
export function findNetwork(id: number): SandboxNetwork | undefined {
  return networkById.get(NETWORK_ALIASES.get(id) ?? id);
}

/** Rounds to cents (or pesewas, kobo...). */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The network an HLR lookup finds for a number, or `undefined`. */
export function hlrLookup(phone: string): SandboxNetwork | undefined {
  for (const c of COUNTRIES) {
    if (!phone.startsWith(c.calling_code)) continue;
    const national = phone.slice(c.calling_code.length);
    return NETWORKS.find((n) => n.countryCode === c.code && n.prefixes.some((p) => national.startsWith(p)));
  }
  return undefined;
}

/** The `Network` schema object. */
export function networkJson(n: SandboxNetwork) {
  const c = country(n.countryCode);
  return {
    id: n.id,
    name: n.name,
    country: c.name,
    country_code: c.code,
    currency: c.currency,
    logo_url: n.logo_url,
    product_count: n.bundles.length,
    supports_custom_airtime: n.custom !== null,
  };
}

/** The `NetworkRef` schema object. */
export function networkRef(n: SandboxNetwork) {
  const c = country(n.countryCode);
  return { id: n.id, name: n.name, country: c.name, country_code: c.code };
}

/** The `ExchangeRate` schema object. */
export function exchangeRate(n: SandboxNetwork) {
  const c = country(n.countryCode);
  return { source_currency: 'USD', destination_currency: c.currency, rate: c.rate };
}

/** The `Products` schema object. */
export function productsJson(n: SandboxNetwork) {
  const c = country(n.countryCode);
  return {
    custom_airtime: {
      available: n.custom !== null,
      min_amount_local: n.custom?.min ?? null,
      max_amount_local: n.custom?.max ?? null,
      local_currency: c.currency,
    },
    fixed_bundles: n.bundles.map((b) => ({
      id: b.id,
      name: b.name,
      type: b.type,
      price_usd: b.price_usd,
      local_value: round2(b.price_usd * c.rate),
      local_currency: c.currency,
      validity_days: b.validity_days,
    })),
  };
}

/** The `Country` schema objects. */
export function countriesJson() {
  return COUNTRIES.map((c) => ({
    code: c.code,
    name: c.name,
    currency: c.currency,
    calling_code: c.calling_code,
    networks: NETWORKS.filter((n) => n.countryCode === c.code).map((n) => ({
      id: n.id,
      name: n.name,
      supports_custom_airtime: n.custom !== null,
    })),
  }));
}
