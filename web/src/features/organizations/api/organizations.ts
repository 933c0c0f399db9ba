import { graphql } from '@/gql';

export const CreateOrganizationDocument = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      id
      name
      viewerRole
    }
  }
`);

export const RenameOrganizationDocument = graphql(`
  mutation RenameOrganization($input: RenameOrganizationInput!) {
    renameOrganization(input: $input) {
      id
      name
    }
  }
`);

export const SetOrganizationTimeZoneDocument = graphql(`
  mutation SetOrganizationTimeZone($input: SetOrganizationTimeZoneInput!) {
    setOrganizationTimeZone(input: $input) {
      id
      timeZone
    }
  }
`);

export const OrganizationOverviewDocument = graphql(`
  query OrganizationOverview($id: ID!) {
    organization(id: $id) {
      id
      members(first: 100) {
        nodes {
          role
          user {
            id
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

/** Admin-only: whether the first invitation and the first API token exist yet. */
export const OrganizationSetupDocument = graphql(`
  query OrganizationSetup($id: ID!) {
    organization(id: $id) {
      id
      invitations(first: 1) {
        nodes {
          id
        }
      }
      apiTokens(first: 1) {
        nodes {
          id
        }
      }
    }
  }
`);

/** The settings that contact lists and customers' consent words follow. */
export const OrganizationContactSettingsDocument = graphql(`
  query OrganizationContactSettings($id: ID!) {
    organization(id: $id) {
      id
      defaultCountry
      optOutKeywords
      optInKeywords
    }
  }
`);

export const SetOrganizationDefaultCountryDocument = graphql(`
  mutation SetOrganizationDefaultCountry($input: SetOrganizationDefaultCountryInput!) {
    setOrganizationDefaultCountry(input: $input) {
      id
      defaultCountry
    }
  }
`);

export const SetOrganizationConsentKeywordsDocument = graphql(`
  mutation SetOrganizationConsentKeywords($input: SetOrganizationConsentKeywordsInput!) {
    setOrganizationConsentKeywords(input: $input) {
      id
      optOutKeywords
      optInKeywords
    }
  }
`);

export const ResetOrganizationConsentKeywordsDocument = graphql(`
  mutation ResetOrganizationConsentKeywords($input: ResetOrganizationConsentKeywordsInput!) {
    resetOrganizationConsentKeywords(input: $input) {
      id
      optOutKeywords
      optInKeywords
    }
  }
`);
