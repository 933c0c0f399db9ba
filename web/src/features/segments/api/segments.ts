import { graphql } from '@/gql';

export const SegmentFilterPartsFragment = graphql(`
  fragment SegmentFilterParts on SegmentFilter {
    tags {
      allOf
      anyOf
      noneOf
    }
    fields {
      key
      operator
      value
    }
    countries
    marketing
    activity {
      direction
      operator
      at
      days
    }
  }
`);

export const SegmentsDocument = graphql(`
  query Segments($id: ID!) {
    organization(id: $id) {
      id
      segments {
        id
        name
        contactCount
        contactsCsvUrl
        updatedAt
      }
    }
  }
`);

export const SegmentDocument = graphql(`
  query Segment($id: ID!, $segmentId: ID!) {
    organization(id: $id) {
      id
      segment(id: $segmentId) {
        id
        name
        filter {
          ...SegmentFilterParts
        }
      }
    }
  }
`);

export const SegmentFieldsDocument = graphql(`
  query SegmentFields($id: ID!) {
    organization(id: $id) {
      id
      contactFields {
        key
        label
        kind
        choices
      }
    }
  }
`);

export const SegmentPreviewDocument = graphql(`
  query SegmentPreview($organizationId: ID!, $filter: SegmentFilterInput!) {
    segmentPreview(organizationId: $organizationId, filter: $filter, first: 10) {
      contactCount
      contacts {
        id
        phone
        waId
        displayName
        country
        tags
        marketing
      }
    }
  }
`);

export const CreateSegmentDocument = graphql(`
  mutation CreateSegment($input: CreateSegmentInput!) {
    createSegment(input: $input) {
      id
      name
    }
  }
`);

export const UpdateSegmentDocument = graphql(`
  mutation UpdateSegment($input: UpdateSegmentInput!) {
    updateSegment(input: $input) {
      id
      name
    }
  }
`);

export const DeleteSegmentDocument = graphql(`
  mutation DeleteSegment($input: DeleteSegmentInput!) {
    deleteSegment(input: $input)
  }
`);
