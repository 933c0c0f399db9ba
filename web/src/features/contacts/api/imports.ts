import { graphql } from '@/gql';

export const ContactImportStateFragment = graphql(`
  fragment ContactImportState on ContactImport {
    id
    fileName
    format
    size
    status
    createdAt
    startedAt
    finishedAt
    createdBy {
      id
      name
      email
    }
    progress
    records
    imported
    updated
    duplicates
    invalid
    empty
    error
    rejectedRowsUrl
    options {
      sheet
      headerRow
      delimiter
      defaultCountry
      mapping {
        column
        field
      }
      duplicates
      asAudience
    }
  }
`);

export const ContactImportDocument = graphql(`
  query ContactImport($id: ID!, $importId: ID!) {
    organization(id: $id) {
      id
      contactImport(id: $importId) {
        ...ContactImportState
      }
    }
  }
`);

export const RecentContactImportsDocument = graphql(`
  query RecentContactImports($id: ID!, $first: Int) {
    organization(id: $id) {
      id
      contactImports(first: $first) {
        nodes {
          ...ContactImportState
        }
      }
    }
  }
`);

export const ContactImportPreviewDocument = graphql(`
  query ContactImportPreview(
    $id: ID!
    $importId: ID!
    $sheet: Int
    $headerRow: Int
    $delimiter: String
    $defaultCountry: String
    $mapping: [ColumnMappingInput!]
  ) {
    organization(id: $id) {
      id
      contactImport(id: $importId) {
        id
        preview(
          sheet: $sheet
          headerRow: $headerRow
          delimiter: $delimiter
          defaultCountry: $defaultCountry
          mapping: $mapping
        ) {
          format
          encoding
          delimiter
          sheets
          headers
          mapping {
            column
            field
          }
          defaultCountry
          mappingProblem
          rows {
            line
            cells
            rejection
            contact {
              phone
              name
              email
              language
              country
              timeZone
              tags
              fields
              marketing
            }
          }
        }
      }
    }
  }
`);

export const ImportContactsDocument = graphql(`
  mutation ImportContacts($input: ImportContactsInput!) {
    importContacts(input: $input) {
      ...ContactImportState
    }
  }
`);

export const CancelContactImportDocument = graphql(`
  mutation CancelContactImport($organizationId: ID!, $importId: ID!) {
    cancelContactImport(organizationId: $organizationId, importId: $importId) {
      ...ContactImportState
    }
  }
`);

export const ContactImportProgressDocument = graphql(`
  subscription ContactImportProgress($organizationId: ID!, $importId: ID!) {
    contactImportProgress(organizationId: $organizationId, importId: $importId) {
      ...ContactImportState
    }
  }
`);
