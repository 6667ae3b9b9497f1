"""`gitops`: change and check the GitOps tree (gitops/) that Argo CD pulls."""
