import { graphql } from '@/gql';
import type { BusinessProfileQuery, WhatsAppTemplatesQuery } from '@/gql/graphql';

export const WhatsAppTemplatesDocument = graphql(`
  query WhatsAppTemplates($id: ID!, $phoneNumberId: ID) {
    organization(id: $id) {
      id
      templates(phoneNumberId: $phoneNumberId) {
        ...WhatsAppTemplate
      }
    }
  }
`);

export const WhatsAppTemplateFragment = graphql(`
  fragment WhatsAppTemplate on MessageTemplate {
    id
    name
    language
    category
    status
    qualityScore
    rejectedReason
    bodyText
    parameterCount
    updatedAt
  }
`);

export type MessageTemplate = WhatsAppTemplatesQuery['organization']['templates'][number];

export const SyncTemplatesDocument = graphql(`
  mutation SyncTemplates($input: TemplatesRefInput!) {
    syncTemplates(input: $input) {
      ...WhatsAppTemplate
    }
  }
`);

export const CreateTemplateDocument = graphql(`
  mutation CreateTemplate($input: CreateTemplateInput!) {
    createTemplate(input: $input) {
      ...WhatsAppTemplate
    }
  }
`);

export const DeleteTemplateDocument = graphql(`
  mutation DeleteTemplate($input: DeleteTemplateInput!) {
    deleteTemplate(input: $input)
  }
`);

/** Read live from Meta, one number at a time (the API has no per-row profile field). */
export const BusinessProfileDocument = graphql(`
  query BusinessProfile($id: ID!, $phoneNumberId: ID!) {
    businessProfile(organizationId: $id, phoneNumberId: $phoneNumberId) {
      ...WhatsAppBusinessProfile
    }
  }
`);

export const BusinessProfileFragment = graphql(`
  fragment WhatsAppBusinessProfile on BusinessProfile {
    about
    address
    description
    email
    vertical
    websites
  }
`);

export type BusinessProfile = BusinessProfileQuery['businessProfile'];

export const UpdateBusinessProfileDocument = graphql(`
  mutation UpdateBusinessProfile($input: UpdateBusinessProfileInput!) {
    updateBusinessProfile(input: $input) {
      ...WhatsAppBusinessProfile
    }
  }
`);
