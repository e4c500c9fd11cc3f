import type { ResponsibilityKind } from '../db/types.js';
import { AREA_SPECIFICITY } from '../geo/area-index.js';
import type { CandidateResponsibility } from './repo.js';

const KIND_PHRASE: Record<ResponsibilityKind, { sv: (ref: string | null) => string; en: (ref: string | null) => string }> = {
  own: { sv: () => 'eget ansvar', en: () => 'own responsibility' },
  agreement: {
    sv: (ref) => (ref ? `enligt avtal ${ref}` : 'enligt samverkansavtal'),
    en: (ref) => (ref ? `under agreement ${ref}` : 'under a cooperation agreement'),
  },
  state: {
    sv: (ref) => (ref ? `statligt ansvar (${ref})` : 'statligt ansvar'),
    en: (ref) => (ref ? `state responsibility (${ref})` : 'state responsibility'),
  },
  contract: {
    sv: (ref) => (ref ? `enligt kontrakt ${ref}` : 'enligt entreprenadkontrakt'),
    en: (ref) => (ref ? `under contract ${ref}` : 'under a service contract'),
  },
};

/**
 * Picks the responsibility that wins: the most specific area first (custom > road corridor >
 * district > municipality), then the most specific service match (service > group > all),
 * then the most recent start date, then the lowest id, so equal rules always resolve the same way.
 */
export function chooseResponsibility(candidates: CandidateResponsibility[]): CandidateResponsibility | undefined {
  return [...candidates].sort(
    (a, b) =>
      AREA_SPECIFICITY[b.area_kind] - AREA_SPECIFICITY[a.area_kind] ||
      b.service_match - a.service_match ||
      b.valid_from.localeCompare(a.valid_from) ||
      a.responsibility_id - b.responsibility_id,
  )[0];
}

export interface ExplanationParts {
  municipalityName: string;
  areaName: string;
  areaIsMunicipality: boolean;
  serviceLabelSv: string;
  serviceLabelEn: string;
  providerSv: string;
  providerEn: string;
  kind: ResponsibilityKind;
  reference: string | null;
}

/** "Kungsör, Avfall → Köpings gemensamma avfallsnämnd enligt avtal 2016/42", in Swedish and English. */
export function explain(p: ExplanationParts): { sv: string; en: string } {
  const place = p.areaIsMunicipality ? p.municipalityName : `${p.municipalityName} (${p.areaName})`;
  return {
    sv: `${place}, ${p.serviceLabelSv} → ${p.providerSv} ${KIND_PHRASE[p.kind].sv(p.reference)}`,
    en: `${place}, ${p.serviceLabelEn} → ${p.providerEn} ${KIND_PHRASE[p.kind].en(p.reference)}`,
  };
}
