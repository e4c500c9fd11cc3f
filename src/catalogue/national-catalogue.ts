import type { ServiceAttribute, SlaTiers } from '../db/types.js';
import { NATIONAL_SERVICES } from './national-services.js';

// The national catalogue is the common starting point every municipality gets: the same service codes
// everywhere make Open311 clients, statistics and forwarding between organisations work without mapping
// tables. Municipalities adjust wording, SLA tiers and knowledge texts locally after seeding.

/** A group of services as shown to citizens (Open311 "group"). */
export interface CatalogueGroup {
  code: string;
  name_sv: string;
  name_en: string;
  sort_order: number;
}

/** How long a closed case is kept before it is thinned out or deleted. */
export type RetentionClass = 'short' | 'standard' | 'long';

/** One service of the national catalogue, shaped like a row of the services table. */
export interface CatalogueService {
  service_code: string;
  group_code: string;
  name_sv: string;
  name_en: string;
  description_sv: string;
  description_en: string;
  keywords_sv: string[];
  keywords_en: string[];
  attributes: ServiceAttribute[];
  default_priority: 1 | 2 | 3;
  sla_tiers: SlaTiers;
  retention_class: RetentionClass;
  /** The reported place may reveal where someone lives, so it is never shown publicly. */
  sensitive_location: boolean;
  /** What a contact-centre agent can tell the caller to resolve the matter at first contact. */
  knowledge_sv: string;
  knowledge_en: string;
  sort_order: number;
}

export const SERVICE_GROUPS: CatalogueGroup[] = [
  { code: 'lighting', name_sv: 'Belysning', name_en: 'Lighting', sort_order: 10 },
  { code: 'streets', name_sv: 'Gator och vägar', name_en: 'Streets and roads', sort_order: 20 },
  { code: 'waste', name_sv: 'Renhållning och avfall', name_en: 'Cleaning and waste', sort_order: 30 },
  { code: 'parks', name_sv: 'Park och natur', name_en: 'Parks and nature', sort_order: 40 },
  { code: 'water', name_sv: 'Vatten och avlopp', name_en: 'Water and sewerage', sort_order: 50 },
  { code: 'environment', name_sv: 'Miljö och hälsa', name_en: 'Environment and health', sort_order: 60 },
  { code: 'feedback', name_sv: 'Synpunkter och övrigt', name_en: 'Feedback and other', sort_order: 90 },
];

export { NATIONAL_SERVICES };
