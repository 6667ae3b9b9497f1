mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
}

variables {
  project           = "shopfront"
  environment       = "dev"
  region            = "us-east-1"
  state_bucket_name = "shopfront-tfstate-123456789012"
  lock_table_name   = "shopfront-tflock"
  kms_key_alias     = "shopfront-tfstate"
}

run "tls_deny_on_by_default" {
  command = plan

  assert {
    condition     = var.deny_insecure_transport == true
    error_message = "The TLS deny must be on by default."
  }
}

run "tls_deny_cannot_be_disabled_outside_local" {
  command = plan
  variables {
    deny_insecure_transport = false
  }
  expect_failures = [var.deny_insecure_transport]
}

run "tls_deny_can_be_disabled_for_local_emulator" {
  command = plan
  variables {
    environment             = "local"
    deny_insecure_transport = false
  }
}

run "rejects_bad_state_bucket_name" {
  command = plan
  variables {
    state_bucket_name = "Bad_Bucket"
  }
  expect_failures = [var.state_bucket_name]
}

run "rejects_alias_prefix" {
  command = plan
  variables {
    kms_key_alias = "alias/shopfront"
  }
  expect_failures = [var.kms_key_alias]
}
