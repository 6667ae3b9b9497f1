# Offline tests with a mocked provider. The certificate's validation options
# are mocked during plan as well (override_during = plan) because the
# validation records' for_each is keyed by them, as with the real provider,
# whose plan already knows each option's domain_name.

mock_provider "aws" {
  mock_resource "aws_route53_zone" {
    defaults = {
      zone_id      = "ZCREATED0000000000001"
      arn          = "arn:aws:route53:::hostedzone/ZCREATED0000000000001"
      name_servers = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net"]
    }
  }

  mock_data "aws_route53_zone" {
    defaults = {
      zone_id      = "ZEXISTING000000000001"
      name         = "example.com"
      arn          = "arn:aws:route53:::hostedzone/ZEXISTING000000000001"
      name_servers = ["ns-9.awsdns-09.org"]
    }
  }

  mock_resource "aws_acm_certificate" {
    override_during = plan
    defaults = {
      # Every computed attribute is fixed: values generated at plan would
      # otherwise be regenerated at apply ("inconsistent final plan").
      id                  = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
      arn                 = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
      status              = "PENDING_VALIDATION"
      type                = "AMAZON_ISSUED"
      not_after           = ""
      not_before          = ""
      pending_renewal     = false
      renewal_eligibility = "INELIGIBLE"
      renewal_summary     = []
      validation_emails   = []
      tags_all            = {}
      # As ACM does: the host and its wildcard share one validation record.
      domain_validation_options = [
        {
          domain_name           = "dev.example.com"
          resource_record_name  = "_0a1b2c.dev.example.com."
          resource_record_type  = "CNAME"
          resource_record_value = "_3d4e5f.acm-validations.aws."
        },
        {
          domain_name           = "*.dev.example.com"
          resource_record_name  = "_0a1b2c.dev.example.com."
          resource_record_type  = "CNAME"
          resource_record_value = "_3d4e5f.acm-validations.aws."
        },
      ]
    }
  }
}

variables {
  domain_name = "example.com"
  host_name   = "dev.example.com"
  tags = {
    Team = "platform"
  }
}

run "creates_zone_and_validated_certificate" {
  command = apply

  variables {
    create_zone = true
  }

  assert {
    condition     = length(aws_route53_zone.this) == 1 && length(data.aws_route53_zone.existing) == 0
    error_message = "create_zone = true must create the zone and not look one up."
  }

  assert {
    condition     = aws_route53_zone.this[0].name == "example.com" && aws_route53_zone.this[0].force_destroy == false && length(aws_route53_zone.this[0].vpc) == 0
    error_message = "The created zone must be the public zone for domain_name, without force_destroy by default."
  }

  assert {
    condition     = aws_acm_certificate.this.domain_name == "dev.example.com" && toset(aws_acm_certificate.this.subject_alternative_names) == toset(["*.dev.example.com"])
    error_message = "The certificate must be for host_name with only \"*.<host_name>\" as SAN."
  }

  assert {
    condition     = aws_acm_certificate.this.validation_method == "DNS" && aws_acm_certificate.this.key_algorithm == "RSA_2048"
    error_message = "The certificate must use DNS validation and RSA_2048 by default."
  }

  assert {
    condition     = aws_acm_certificate.this.options[0].certificate_transparency_logging_preference == "ENABLED"
    error_message = "Certificate transparency logging must be enabled."
  }

  assert {
    condition     = length(aws_route53_record.validation) == 1
    error_message = "Host and wildcard share one validation record; it must be created once."
  }

  assert {
    condition = alltrue([
      for r in aws_route53_record.validation :
      r.zone_id == aws_route53_zone.this[0].zone_id && r.name == "_0a1b2c.dev.example.com." && r.type == "CNAME" &&
      tolist(r.records) == tolist(["_3d4e5f.acm-validations.aws."]) && r.ttl == 60 && r.allow_overwrite
    ])
    error_message = "The validation CNAME must be written to the created zone with TTL 60 and allow_overwrite."
  }

  assert {
    condition     = aws_acm_certificate_validation.this.certificate_arn == aws_acm_certificate.this.arn && toset(aws_acm_certificate_validation.this.validation_record_fqdns) == toset([for r in aws_route53_record.validation : r.fqdn])
    error_message = "The validation resource must wait for this certificate using exactly the validation records' FQDNs."
  }

  assert {
    condition     = aws_acm_certificate_validation.this.timeouts.create == "45m"
    error_message = "The validation timeout must default to 45m."
  }

  assert {
    condition     = aws_route53_zone.this[0].tags["Team"] == "platform" && aws_route53_zone.this[0].tags["Name"] == "example.com" && aws_acm_certificate.this.tags["Team"] == "platform" && aws_acm_certificate.this.tags["Name"] == "dev.example.com"
    error_message = "var.tags and a Name tag must be set on the zone and the certificate."
  }

  assert {
    condition     = output.zone_id == "ZCREATED0000000000001" && output.zone_arn == aws_route53_zone.this[0].arn && output.zone_name == "example.com" && output.name_servers == aws_route53_zone.this[0].name_servers
    error_message = "Zone outputs must describe the created zone."
  }

  assert {
    condition     = output.certificate_arn == aws_acm_certificate_validation.this.certificate_arn && output.host_name == "dev.example.com" && output.certificate_domains == ["dev.example.com", "*.dev.example.com"]
    error_message = "Certificate outputs must come from the validation resource and list host then wildcard."
  }
}

run "existing_zone_looked_up_by_name" {
  command = apply

  assert {
    condition     = length(aws_route53_zone.this) == 0 && length(data.aws_route53_zone.existing) == 1
    error_message = "create_zone = false must not create a zone."
  }

  assert {
    condition     = data.aws_route53_zone.existing[0].name == "example.com" && data.aws_route53_zone.existing[0].private_zone == false
    error_message = "Without zone_id the public zone must be looked up by domain_name."
  }

  assert {
    condition     = alltrue([for r in aws_route53_record.validation : r.zone_id == "ZEXISTING000000000001"]) && length(aws_route53_record.validation) == 1
    error_message = "Validation records must land in the looked-up zone."
  }

  assert {
    condition     = output.zone_id == "ZEXISTING000000000001" && output.zone_arn == "arn:aws:route53:::hostedzone/ZEXISTING000000000001" && tolist(output.name_servers) == tolist(["ns-9.awsdns-09.org"])
    error_message = "Zone outputs must describe the existing zone."
  }
}

run "existing_zone_by_id" {
  command = apply

  variables {
    zone_id = "ZGIVEN0000000000000001"
  }

  assert {
    condition     = length(aws_route53_zone.this) == 0 && data.aws_route53_zone.existing[0].zone_id == "ZGIVEN0000000000000001" && data.aws_route53_zone.existing[0].private_zone == false
    error_message = "A given zone_id must be read (as a public zone) instead of creating a zone."
  }

  assert {
    condition     = alltrue([for r in aws_route53_record.validation : r.zone_id == "ZGIVEN0000000000000001"]) && output.zone_id == "ZGIVEN0000000000000001"
    error_message = "Validation records and outputs must use the given zone_id."
  }
}

run "empty_zone_id_means_lookup" {
  command = plan

  variables {
    zone_id = ""
  }

  assert {
    condition     = data.aws_route53_zone.existing[0].name == "example.com" && output.zone_id == "ZEXISTING000000000001"
    error_message = "zone_id = \"\" must behave like null (look the zone up by name)."
  }
}

run "extra_sans_are_deduplicated" {
  command = apply

  variables {
    create_zone               = true
    subject_alternative_names = ["api.example.com", "*.dev.example.com", "dev.example.com"]
  }

  # Fresh state: the mock provider plans a SAN change on an existing
  # certificate as an in-place update that keeps its old validation options
  # (the real provider replaces the certificate).
  state_key = "extra_sans"

  override_resource {
    target          = aws_acm_certificate.this
    override_during = plan
    values = {
      id                  = "arn:aws:acm:us-east-1:123456789012:certificate/99999999-2222-3333-4444-555555555555"
      arn                 = "arn:aws:acm:us-east-1:123456789012:certificate/99999999-2222-3333-4444-555555555555"
      status              = "PENDING_VALIDATION"
      type                = "AMAZON_ISSUED"
      not_after           = ""
      not_before          = ""
      pending_renewal     = false
      renewal_eligibility = "INELIGIBLE"
      renewal_summary     = []
      validation_emails   = []
      tags_all            = {}
      domain_validation_options = [
        { domain_name = "dev.example.com", resource_record_name = "_0a1b2c.dev.example.com.", resource_record_type = "CNAME", resource_record_value = "_3d4e5f.acm-validations.aws." },
        { domain_name = "*.dev.example.com", resource_record_name = "_0a1b2c.dev.example.com.", resource_record_type = "CNAME", resource_record_value = "_3d4e5f.acm-validations.aws." },
        { domain_name = "api.example.com", resource_record_name = "_7a8b9c.api.example.com.", resource_record_type = "CNAME", resource_record_value = "_6d5e4f.acm-validations.aws." },
      ]
    }
  }

  assert {
    condition     = toset(aws_acm_certificate.this.subject_alternative_names) == toset(["*.dev.example.com", "api.example.com"])
    error_message = "SANs must be the wildcard plus extra names, without duplicates or the host itself."
  }

  assert {
    condition     = output.certificate_domains == ["dev.example.com", "*.dev.example.com", "api.example.com"]
    error_message = "certificate_domains must list host, wildcard, then the extra SANs once each."
  }

  assert {
    condition     = length(aws_route53_record.validation) == 2 && toset([for r in aws_route53_record.validation : r.name]) == toset(["_0a1b2c.dev.example.com.", "_7a8b9c.api.example.com."])
    error_message = "One validation record per distinct record name (host+wildcard shared, api separate)."
  }

  assert {
    condition     = length(aws_acm_certificate_validation.this.validation_record_fqdns) == 2
    error_message = "The validation resource must wait on both records."
  }
}

run "apex_host_custom_timeout_and_key" {
  command = plan

  variables {
    host_name          = "example.com"
    validation_timeout = "1h30m"
    key_algorithm      = "EC_prime256v1"
  }

  assert {
    condition     = aws_acm_certificate.this.domain_name == "example.com" && toset(aws_acm_certificate.this.subject_alternative_names) == toset(["*.example.com"])
    error_message = "host_name = domain_name must give a certificate for the apex and its wildcard."
  }

  assert {
    condition     = aws_acm_certificate_validation.this.timeouts.create == "1h30m" && aws_acm_certificate.this.key_algorithm == "EC_prime256v1"
    error_message = "validation_timeout and key_algorithm must be honoured."
  }
}

run "rejects_existing_zone_for_other_domain" {
  command = plan

  variables {
    zone_id = "ZOTHER0000000000000001"
  }

  override_data {
    target = data.aws_route53_zone.existing[0]
    values = {
      name = "example.org"
    }
  }

  expect_failures = [data.aws_route53_zone.existing]
}

run "rejects_host_outside_zone" {
  command = plan
  variables {
    host_name = "dev.example.org"
  }
  expect_failures = [var.host_name]
}

run "rejects_host_that_only_shares_a_suffix" {
  command = plan
  variables {
    host_name = "devexample.com"
  }
  expect_failures = [var.host_name]
}

run "rejects_uppercase_host" {
  command = plan
  variables {
    host_name = "Dev.example.com"
  }
  expect_failures = [var.host_name]
}

run "rejects_wildcard_host" {
  command = plan
  variables {
    host_name = "*.dev.example.com"
  }
  expect_failures = [var.host_name]
}

run "rejects_host_longer_than_64" {
  command = plan
  variables {
    host_name = "a-very-long-environment-host-name-label-for-acm-limits.example.com"
  }
  expect_failures = [var.host_name]
}

run "rejects_uppercase_domain" {
  command = plan
  variables {
    domain_name = "Example.com"
    host_name   = "dev.Example.com"
  }
  expect_failures = [var.domain_name]
}

run "rejects_domain_with_trailing_dot" {
  command = plan
  variables {
    domain_name = "example.com."
    host_name   = "dev.example.com."
  }
  expect_failures = [var.domain_name]
}

run "rejects_single_label_domain" {
  command = plan
  variables {
    domain_name = "localhost"
    host_name   = "dev.localhost"
  }
  expect_failures = [var.domain_name]
}

run "rejects_zone_id_with_create_zone" {
  command = plan
  variables {
    create_zone = true
    zone_id     = "ZGIVEN0000000000000001"
  }
  expect_failures = [var.zone_id]
}

run "rejects_zone_id_with_prefix" {
  command = plan
  variables {
    zone_id = "/hostedzone/ZGIVEN0000000000000001"
  }
  expect_failures = [var.zone_id]
}

run "rejects_san_outside_zone" {
  command = plan
  variables {
    subject_alternative_names = ["api.example.org"]
  }
  expect_failures = [var.subject_alternative_names]
}

run "rejects_bad_validation_timeout" {
  command = plan
  variables {
    validation_timeout = "45 minutes"
  }
  expect_failures = [var.validation_timeout]
}

run "rejects_bad_key_algorithm" {
  command = plan
  variables {
    key_algorithm = "RSA_4096"
  }
  expect_failures = [var.key_algorithm]
}
