/** The fixed tables the demo data is built from: reference data, customers and vendors, the catalogue. */

/** `[code, name, calling code]`. */
export const COUNTRIES: ReadonlyArray<readonly [string, string, number]> = [
  ['US', 'United States', 1],
  ['CA', 'Canada', 1],
  ['MX', 'Mexico', 52],
  ['BR', 'Brazil', 55],
  ['BE', 'Belgium', 32],
  ['FR', 'France', 33],
  ['DE', 'Germany', 49],
  ['GB', 'United Kingdom', 44],
  ['NL', 'Netherlands', 31],
  ['ES', 'Spain', 34],
  ['IT', 'Italy', 39],
  ['CH', 'Switzerland', 41],
  ['IN', 'India', 91],
  ['CN', 'China', 86],
  ['JP', 'Japan', 81],
  ['AU', 'Australia', 61],
];

export type CategoryName =
  'Vendor' | 'Prospects' | 'Services' | 'Desk Manufacturers' | 'Office Supplies' | 'Consulting Services' | 'Premium' | 'Distributor';

/** Partner tags in creation order (ids 1-8); a parent comes before its children. */
export const CATEGORIES: ReadonlyArray<{ name: CategoryName; color: number; parent?: CategoryName }> = [
  { name: 'Vendor', color: 2 },
  { name: 'Prospects', color: 3 },
  { name: 'Services', color: 4 },
  { name: 'Desk Manufacturers', color: 5, parent: 'Vendor' },
  { name: 'Office Supplies', color: 6, parent: 'Vendor' },
  { name: 'Consulting Services', color: 8, parent: 'Services' },
  { name: 'Premium', color: 10 },
  { name: 'Distributor', color: 11 },
];

export interface CompanySpec {
  readonly name: string;
  readonly city: string;
  readonly country: string;
  readonly zip: string;
  /** Default: `info@<name>.example.com`. */
  readonly email?: string;
  readonly tags?: readonly CategoryName[];
  /** Sells to us: purchase orders and receipts are made with it. */
  readonly vendor?: boolean;
  /** Belongs to "My Company (Chicago)" only (its `company_id`); the others are shared by both companies. */
  readonly chicago?: boolean;
  /** Archived (`active` false). */
  readonly archived?: boolean;
}

/**
 * Customer and vendor companies. The first four get partner ids 9-12, as in mrm_rest_api's documented
 * examples and test/fixtures/odoo-recordings (`Gemini Furniture` is 11, `Azure Interior` 12).
 */
export const COMPANIES: readonly CompanySpec[] = [
  { name: 'Wood Corner', city: 'Turlock', country: 'US', zip: '95380', tags: ['Vendor', 'Desk Manufacturers'], vendor: true },
  { name: 'Deco Addict', city: 'Pleasant Hill', country: 'US', zip: '94523', tags: ['Prospects'] },
  {
    name: 'Gemini Furniture',
    city: 'Fairfield',
    country: 'US',
    zip: '94533',
    email: 'john.b@tech.info',
    tags: ['Desk Manufacturers', 'Premium'],
  },
  { name: 'Azure Interior', city: 'Fremont', country: 'US', zip: '94538', tags: ['Premium'] },
  { name: 'Ready Mat', city: 'Mendota', country: 'US', zip: '93640', tags: ['Prospects'] },
  { name: 'The Jackson Group', city: 'Stockton', country: 'US', zip: '95202', tags: ['Distributor'] },
  { name: 'Lumber Inc', city: 'Stockton', country: 'US', zip: '95203', tags: ['Vendor'], vendor: true },
  { name: 'Global Office Supply', city: 'Denver', country: 'US', zip: '80202', tags: ['Vendor', 'Office Supplies'], vendor: true },
  { name: 'Bright Spaces', city: 'Austin', country: 'US', zip: '73301' },
  { name: 'Northwind Traders', city: 'Seattle', country: 'US', zip: '98101', tags: ['Distributor'] },
  { name: 'Contoso Interiors', city: 'Toronto', country: 'CA', zip: 'M5H 2N2', tags: ['Premium'] },
  { name: 'Maple Workspace', city: 'Vancouver', country: 'CA', zip: 'V6B 1A1' },
  { name: 'Oficinas del Norte', city: 'Monterrey', country: 'MX', zip: '64000' },
  { name: 'Brussels Design Studio', city: 'Brussels', country: 'BE', zip: '1000', tags: ['Consulting Services'] },
  { name: 'Atelier Lumière', city: 'Lyon', country: 'FR', zip: '69002' },
  { name: 'Büro Kraft GmbH', city: 'Munich', country: 'DE', zip: '80331', tags: ['Vendor', 'Desk Manufacturers'], vendor: true },
  { name: 'Thames Office Works', city: 'London', country: 'GB', zip: 'EC1A 1BB', tags: ['Premium'] },
  { name: 'Dutch Desk Company', city: 'Rotterdam', country: 'NL', zip: '3011', tags: ['Vendor'], vendor: true },
  { name: 'Muebles Iberia', city: 'Madrid', country: 'ES', zip: '28013' },
  { name: 'Studio Milano Arredi', city: 'Milan', country: 'IT', zip: '20121', tags: ['Premium'] },
  { name: 'Alpine Workspaces', city: 'Zurich', country: 'CH', zip: '8001' },
  { name: 'Bangalore Business Parks', city: 'Bengaluru', country: 'IN', zip: '560001', tags: ['Prospects'] },
  { name: 'Shenzhen Office Tech', city: 'Shenzhen', country: 'CN', zip: '518000', tags: ['Vendor', 'Office Supplies'], vendor: true },
  { name: 'Kyoto Modern Living', city: 'Kyoto', country: 'JP', zip: '600-8216' },
  { name: 'Casa Paulista Móveis', city: 'São Paulo', country: 'BR', zip: '01310-100' },
  { name: 'Sydney Fitouts', city: 'Sydney', country: 'AU', zip: '2000', tags: ['Services'] },
  { name: 'Chicago Loft Partners', city: 'Chicago', country: 'US', zip: '60607', chicago: true },
  { name: 'Lakeshore Dental Group', city: 'Evanston', country: 'US', zip: '60201', chicago: true },
  { name: 'Windy City Coworking', city: 'Chicago', country: 'US', zip: '60654', tags: ['Prospects'], chicago: true },
  { name: 'Midwest Steel Frames', city: 'Gary', country: 'US', zip: '46402', tags: ['Vendor'], vendor: true, chicago: true },
  { name: 'Pacific Ergonomics', city: 'San Diego', country: 'US', zip: '92101', tags: ['Vendor'], vendor: true },
  { name: 'Summit Architects', city: 'Boulder', country: 'US', zip: '80302', tags: ['Consulting Services'] },
  { name: 'Harbor Logistics', city: 'Oakland', country: 'US', zip: '94607' },
  { name: 'Evergreen Schools', city: 'Portland', country: 'US', zip: '97201', tags: ['Prospects'] },
  { name: 'Redwood Hospitality', city: 'Santa Rosa', country: 'US', zip: '95401', archived: true },
  { name: 'Prime Paper Co', city: 'Scranton', country: 'US', zip: '18503', tags: ['Vendor', 'Office Supplies'], vendor: true },
];

export const STREETS: readonly string[] = [
  'Main Street',
  'Oak Avenue',
  'Market Street',
  'Industrial Way',
  'Harbor Road',
  'Park Lane',
  'Mission Boulevard',
  'Elm Street',
  'Commerce Drive',
  'River Road',
  'Station Road',
  'Lake Shore Drive',
  'Hillside Avenue',
  'Mill Lane',
];

export const FIRST_NAMES: readonly string[] = [
  'Addison',
  'Brandon',
  'Colleen',
  'Douglas',
  'Edwin',
  'Floyd',
  'Gordon',
  'Hannah',
  'Ivy',
  'Jacob',
  'Kim',
  'Lorraine',
  'Morgan',
  'Nicole',
  'Oscar',
  'Priya',
  'Quentin',
  'Rachel',
  'Soham',
  'Tom',
  'Ursula',
  'Victor',
  'Wendi',
  'Xavier',
  'Yasmin',
  'Zoe',
  'Chester',
  'Theodore',
  'Lucille',
  'Travis',
  'Julie',
  'Kevin',
  'Sofia',
  'Aiko',
  'Mateo',
  'Lena',
];

export const LAST_NAMES: readonly string[] = [
  'Olson',
  'Freeman',
  'Diaz',
  'Fletcher',
  'Steiner',
  'Holmes',
  'Perkins',
  'Reed',
  'Bell',
  'Wright',
  'Fisher',
  'Palmer',
  'Hansen',
  'Banks',
  'Baker',
  'Sharma',
  'Dubois',
  'Reynolds',
  'Mehta',
  'Gleason',
  'Schmidt',
  'Moreau',
  'Calderon',
  'Nakamura',
  'Rossi',
  'Jansen',
  'Kowalski',
  'Lindqvist',
  'Okafor',
  'Brennan',
  'Silva',
  'Tanaka',
  'Weber',
  'Garcia',
];

export const JOB_TITLES: readonly string[] = [
  'Purchasing Manager',
  'Office Manager',
  'CEO',
  'Facilities Manager',
  'Interior Designer',
  'Buyer',
  'Accountant',
  'Operations Director',
  'Project Manager',
  'Procurement Officer',
];

export type ProductType = 'consu' | 'service' | 'product';

export interface ProductSpec {
  readonly code: string;
  readonly name: string;
  readonly type: ProductType;
  readonly price: number;
  readonly cost: number;
  readonly saleOk?: boolean;
  readonly purchaseOk?: boolean;
  readonly archived?: boolean;
}

/** The catalogue: 40 products, most of them office furniture, a few services. */
export const PRODUCTS: readonly ProductSpec[] = [
  { code: 'FURN_0001', name: 'Large Desk', type: 'product', price: 1799, cost: 1299 },
  { code: 'FURN_0002', name: 'Corner Desk Right Sit', type: 'product', price: 147, cost: 120 },
  { code: 'FURN_0003', name: 'Corner Desk Left Sit', type: 'product', price: 147, cost: 120 },
  { code: 'FURN_0004', name: 'Customizable Desk (Steel, White)', type: 'product', price: 750, cost: 500 },
  { code: 'FURN_0005', name: 'Customizable Desk (Aluminium, Black)', type: 'product', price: 800, cost: 540 },
  { code: 'FURN_0006', name: 'Four Person Desk', type: 'product', price: 2350, cost: 2100 },
  { code: 'FURN_0007', name: 'Individual Workplace', type: 'product', price: 885, cost: 876 },
  { code: 'FURN_0008', name: 'Desk Combination', type: 'product', price: 450, cost: 300 },
  { code: 'FURN_0009', name: 'Large Meeting Table', type: 'product', price: 4000, cost: 3000 },
  { code: 'FURN_0010', name: 'Conference Chair', type: 'product', price: 33, cost: 28 },
  { code: 'FURN_0011', name: 'Office Chair', type: 'product', price: 70, cost: 55 },
  { code: 'FURN_0012', name: 'Office Chair Black', type: 'product', price: 120.5, cost: 95 },
  { code: 'FURN_0013', name: 'Three-Seat Sofa', type: 'product', price: 1500, cost: 1000 },
  { code: 'FURN_0014', name: 'Ottoman', type: 'product', price: 65, cost: 40 },
  { code: 'FURN_0015', name: 'Large Cabinet', type: 'product', price: 320, cost: 240 },
  { code: 'FURN_0016', name: 'Cabinet with Doors', type: 'product', price: 140, cost: 120.5 },
  { code: 'FURN_0017', name: 'Drawer Black', type: 'product', price: 25, cost: 20 },
  { code: 'FURN_0018', name: 'Wall Shelf Unit', type: 'product', price: 259, cost: 180 },
  { code: 'FURN_0019', name: 'Small Shelf', type: 'product', price: 60, cost: 45 },
  { code: 'FURN_0020', name: 'Glass Shelf', type: 'product', price: 95, cost: 70 },
  { code: 'FURN_0021', name: 'Acoustic Bloc Screens', type: 'product', price: 295, cost: 287 },
  { code: 'FURN_0022', name: 'Privacy Screen', type: 'product', price: 85, cost: 60 },
  { code: 'FURN_0023', name: 'Office Lamp', type: 'product', price: 40, cost: 35 },
  { code: 'FURN_0024', name: 'Monitor Stand', type: 'product', price: 48, cost: 30 },
  { code: 'FURN_0025', name: 'Standing Desk Converter', type: 'product', price: 320, cost: 210 },
  { code: 'FURN_0026', name: 'Ergonomic Footrest', type: 'product', price: 39, cost: 22 },
  { code: 'FURN_0027', name: 'Cable Management Box', type: 'product', price: 100, cost: 70 },
  { code: 'FURN_0028', name: 'Newspaper Rack', type: 'product', price: 59, cost: 40 },
  { code: 'FURN_0029', name: 'Flipover', type: 'product', price: 1950, cost: 1700 },
  { code: 'FURN_0030', name: 'Magnetic Board', type: 'product', price: 45, cost: 30 },
  { code: 'FURN_0031', name: 'Swivel Stool (Discontinued)', type: 'product', price: 55, cost: 35, archived: true },
  { code: 'FURN_0032', name: 'Steel Frame Kit', type: 'product', price: 0, cost: 85, saleOk: false },
  { code: 'CONS_0001', name: 'Desk Organizer', type: 'consu', price: 5.1, cost: 4 },
  { code: 'CONS_0002', name: 'Desk Pad', type: 'consu', price: 1.98, cost: 1.2 },
  { code: 'CONS_0003', name: 'Whiteboard Pen', type: 'consu', price: 1.2, cost: 0.7 },
  { code: 'CONS_0004', name: 'Storage Box', type: 'consu', price: 15.8, cost: 14 },
  { code: 'CONS_0005', name: 'Pedal Bin', type: 'consu', price: 47, cost: 10 },
  { code: 'SERV_0001', name: 'Furniture Assembly', type: 'service', price: 90, cost: 40, purchaseOk: false },
  { code: 'SERV_0002', name: 'Virtual Interior Design', type: 'service', price: 2000, cost: 1000, purchaseOk: false },
  { code: 'SERV_0003', name: 'Office Design Consultation', type: 'service', price: 250, cost: 120 },
];

export interface StageSpec {
  readonly name: string;
  readonly sequence: number;
  readonly isWon?: boolean;
  readonly fold?: boolean;
  /** Typical probability of an opportunity in this stage. */
  readonly probability: number;
  /** How many of the demo opportunities are in it, relatively. */
  readonly weight: number;
}

export const STAGES: readonly StageSpec[] = [
  { name: 'New', sequence: 1, probability: 10, weight: 30 },
  { name: 'Qualified', sequence: 2, probability: 30, weight: 25 },
  { name: 'Proposition', sequence: 3, probability: 50, weight: 20 },
  { name: 'Negotiation', sequence: 4, probability: 70, weight: 10 },
  { name: 'Won', sequence: 70, isWon: true, probability: 100, weight: 10 },
  { name: 'On Hold', sequence: 80, fold: true, probability: 5, weight: 5 },
];

/** Opportunity titles; `{n}` becomes a quantity and `{product}` a product name. */
export const LEAD_TITLES: readonly string[] = [
  'Quote for {n} {product}',
  'Need {n} {product}',
  'Office Design Project',
  'Open Space Design',
  'Furniture refresh for the new office',
  'Distributor Contract',
  'Interest in your customizable desks',
  'Meeting room equipment',
  'Ergonomic seating upgrade',
  'Reception area redesign',
  'Storage solution for the archives',
  'Branch office fit-out',
  'Training room: {n} desks',
  'Price list request',
  'Annual furniture framework agreement',
];
