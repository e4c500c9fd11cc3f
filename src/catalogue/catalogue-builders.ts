import type { ServiceAttribute, SlaTier, SlaTiers } from '../db/types.js';

// Tiers follow the pattern Malmö publishes for street lights (P1 within an hour, P2 within three
// working days, P3 within 30 days) and are stretched or tightened per service by how quickly a fault
// becomes a danger. Helpers return fresh objects so that a seed step mutating one service cannot
// change another.

/** SLA tier builders and Open311 attribute builders for the catalogue. */
export const hours = (amount: number): SlaTier => ({ amount, unit: 'hours' });
export const workingDays = (amount: number): SlaTier => ({ amount, unit: 'working_days' });
export const days = (amount: number): SlaTier => ({ amount, unit: 'days' });
export const tiers = (p1: SlaTier, p2: SlaTier, p3: SlaTier): SlaTiers => ({ '1': p1, '2': p2, '3': p3 });

export type Choice = [key: string, name_sv: string, name_en: string];
export type Question = [sv: string, en: string];

export function list(code: string, order: number, required: boolean, question: Question, choices: Choice[], multiple = false): ServiceAttribute {
  return {
    code,
    variable: true,
    datatype: multiple ? 'multivaluelist' : 'singlevaluelist',
    required,
    datatype_description: multiple ? 'Välj ett eller flera / Choose one or more' : 'Välj ett / Choose one',
    order,
    description_sv: question[0],
    description_en: question[1],
    values: choices.map(([key, name_sv, name_en]) => ({ key, name_sv, name_en })),
  };
}

export function yesNo(code: string, order: number, required: boolean, question: Question): ServiceAttribute {
  const attribute = list(code, order, required, question, [['yes', 'Ja', 'Yes'], ['no', 'Nej', 'No']]);
  return { ...attribute, datatype_description: 'Ja eller nej / Yes or no' };
}

export function text(code: string, order: number, required: boolean, question: Question, hint: string): ServiceAttribute {
  return {
    code,
    variable: true,
    datatype: 'string',
    required,
    datatype_description: hint,
    order,
    description_sv: question[0],
    description_en: question[1],
  };
}

