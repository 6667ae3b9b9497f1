# Stack-level tests: the common-variable validations (identical in every
# stack's variables.tf), the host_name default and the stack's own inputs.
# ACM validation options are mocked during plan (override_during = plan)
# because the module keys its validation records on them.

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
      name         = "shopfront.test"
      arn          = "arn:aws:route53:::hostedzone/ZEXISTING000000000001"
      name_servers = ["ns-9.awsdns-09.org"]
    }
  }

  mock_resource "aws_acm_certificate" {
    override_during = plan
    defaults = {
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
      domain_validation_options = [
        { domain_name = "local.shopfront.test", resource_record_name = "_0a1b2c.local.shopfront.test.", resource_record_type = "CNAME", resource_record_value = "_3d4e5f.acm-validations.aws." },
        { domain_name = "*.local.shopfront.test", resource_record_name = "_0a1b2c.local.shopfront.test.", resource_record_type = "CNAME", resource_record_value = "_3d4e5f.acm-validations.aws." },
      ]
    }
  }
}

variables {
  project     = "shopfront"
  environment = "local"
  region      = "us-east-1"
  domain_name = "shopfront.test"
}

run "default_host_and_existing_zone" {
  command = apply

  assert {
    condition     = output.host_name == "local.shopfront.test" && module.dns.certificate_domains == ["local.shopfront.test", "*.local.shopfront.test"]
    error_message = "host_name must default to <environment>.<domain_name>, with its wildcard on the certificate."
  }

  assert {
    condition     = output.zone_id == "ZEXISTING000000000001" && output.zone_name == "shopfront.test" && output.zone_arn == "arn:aws:route53:::hostedzone/ZEXISTING000000000001"
    error_message = "create_zone = false (default) must use the existing zone found by domain_name."
  }

  assert {
    condition     = output.certificate_arn == "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    error_message = "certificate_arn must be exposed."
  }
}

run "created_zone_and_explicit_host" {
  command   = apply
  state_key = "created_zone"

  variables {
    create_zone                    = true
    host_name                      = "www.shopfront.test"
    certificate_validation_timeout = "20m"
  }

  assert {
    condition     = output.host_name == "www.shopfront.test" && module.dns.certificate_domains == ["www.shopfront.test", "*.www.shopfront.test"]
    error_message = "An explicit host_name must be used as given."
  }

  assert {
    condition     = output.zone_id == "ZCREATED0000000000001" && tolist(output.name_servers) == tolist(["ns-1.awsdns-01.org", "ns-2.awsdns-02.net"])
    error_message = "create_zone = true must create the zone and expose its name servers."
  }
}

run "given_zone_id" {
  command = plan

  variables {
    zone_id = "ZGIVEN0000000000000001"
  }

  assert {
    condition     = output.zone_id == "ZGIVEN0000000000000001"
    error_message = "A given zone_id must be used."
  }
}

run "rejects_bad_project" {
  command = plan
  variables {
    project = "Shop_Front"
  }
  expect_failures = [var.project]
}

run "rejects_project_ending_with_hyphen" {
  command = plan
  variables {
    project = "shopfront-"
  }
  expect_failures = [var.project]
}

run "rejects_bad_environment" {
  command = plan
  variables {
    environment = "prod-eu"
  }
  expect_failures = [var.environment]
}

run "rejects_unsupported_region" {
  command = plan
  variables {
    region = "us-gov-west-1"
  }
  expect_failures = [var.region]
}

run "rejects_bad_domain" {
  command = plan
  variables {
    domain_name = "Shopfront.Test."
  }
  expect_failures = [var.domain_name]
}

run "rejects_host_outside_zone" {
  command = plan
  variables {
    host_name = "local.shopfront.example"
  }
  expect_failures = [var.host_name]
}

run "rejects_host_sharing_only_a_suffix" {
  command = plan
  variables {
    host_name = "myshopfront.test"
  }
  expect_failures = [var.host_name]
}

run "rejects_zone_id_with_create_zone" {
  command = plan
  variables {
    create_zone = true
    zone_id     = "ZGIVEN0000000000000001"
  }
  expect_failures = [var.zone_id]
}

run "rejects_bad_zone_id" {
  command = plan
  variables {
    zone_id = "/hostedzone/ZGIVEN0000000000000001"
  }
  expect_failures = [var.zone_id]
}

run "rejects_bad_timeout" {
  command = plan
  variables {
    certificate_validation_timeout = "45"
  }
  expect_failures = [var.certificate_validation_timeout]
}
