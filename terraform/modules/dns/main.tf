locals {
  zone_id_given = !var.create_zone && var.zone_id != null && var.zone_id != ""

  zone_id           = var.create_zone ? aws_route53_zone.this[0].zone_id : data.aws_route53_zone.existing[0].zone_id
  zone_arn          = var.create_zone ? aws_route53_zone.this[0].arn : data.aws_route53_zone.existing[0].arn
  zone_name_servers = var.create_zone ? aws_route53_zone.this[0].name_servers : data.aws_route53_zone.existing[0].name_servers

  # "*.<host_name>" is always a SAN; duplicates and the host itself are dropped.
  subject_alternative_names = [
    for n in distinct(concat(["*.${var.host_name}"], var.subject_alternative_names)) : n if n != var.host_name
  ]
  certificate_domains = concat([var.host_name], local.subject_alternative_names)

  # ACM uses the same validation CNAME for "x" and "*.x". Group the validation
  # options by the name without its "*." prefix so that pair yields one record.
  # (The key is the domain name, known at plan time; resource_record_name is
  # only known once the certificate exists and cannot key a for_each.)
  validation_options = {
    for dvo in aws_acm_certificate.this.domain_validation_options : trimprefix(dvo.domain_name, "*.") => {
      name   = dvo.resource_record_name
      type   = dvo.resource_record_type
      record = dvo.resource_record_value
    }...
  }
}

################################################################################
# Public hosted zone: created here, or an existing one (by ID or by name)
################################################################################

resource "aws_route53_zone" "this" {
  #checkov:skip=CKV2_AWS_38:DNSSEC signing needs an asymmetric KMS key in us-east-1, a key-signing key and a DS record at the parent/registrar; that chain of trust is managed outside this stack and does not affect ACM DNS validation.
  #checkov:skip=CKV2_AWS_39:Public query logging must go to a CloudWatch log group in us-east-1 with a Route 53 resource policy; it is an audit/cost decision made per organisation, not a requirement of the platform's zone.
  count = var.create_zone ? 1 : 0

  name          = var.domain_name
  comment       = "Public zone for ${var.domain_name} (managed by terraform)"
  force_destroy = var.force_destroy_zone

  tags = merge(var.tags, { Name = var.domain_name })
}

data "aws_route53_zone" "existing" {
  count = var.create_zone ? 0 : 1

  zone_id      = local.zone_id_given ? var.zone_id : null
  name         = local.zone_id_given ? null : var.domain_name
  private_zone = false

  lifecycle {
    postcondition {
      condition     = trimsuffix(self.name, ".") == var.domain_name
      error_message = "The existing hosted zone (zone_id) is for \"${trimsuffix(self.name, ".")}\", not domain_name \"${var.domain_name}\". Pass the ID of the public zone for domain_name, or leave zone_id empty to look it up by name."
    }

    # With zone_id the provider reads the zone by ID and ignores private_zone
    # as a filter, but reports the zone's real visibility here.
    postcondition {
      condition     = !self.private_zone
      error_message = "The existing hosted zone (zone_id \"${self.zone_id}\") is a private zone; ACM DNS validation needs the public zone for domain_name. Pass the public zone's ID, or leave zone_id empty to look it up by name."
    }
  }
}

################################################################################
# ACM certificate for the host + wildcard, DNS-validated in the zone
################################################################################

resource "aws_acm_certificate" "this" {
  domain_name               = var.host_name
  subject_alternative_names = local.subject_alternative_names
  validation_method         = "DNS"
  key_algorithm             = var.key_algorithm

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  tags = merge(var.tags, { Name = var.host_name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  for_each = { for k, v in local.validation_options : k => v[0] }

  zone_id         = local.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 60
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]

  timeouts {
    create = var.validation_timeout
  }
}
