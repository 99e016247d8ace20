using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace ArtifactPortal.Deployment.Tests;

/// <summary>
/// infra/k8s checked offline: every document is read strictly into the Kubernetes API's own types (an unknown or
/// misspelled field, or a value of the wrong type, fails), then against what the portal needs from its cluster.
/// </summary>
public sealed class KubernetesManifestsTests
{
    private static readonly string Directory = RepositoryFiles.PathOf("infra", "k8s");

    private static readonly Lazy<IReadOnlyList<(string File, object Resource)>> Resources = new(Load);

    [Fact]
    public void Manifests_AreValidKubernetesObjects_AndTheKustomizationListsEveryFile()
    {
        var files = System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order().ToList();
        var kustomization = new YamlStream();
        kustomization.Load(new StringReader(File.ReadAllText(Path.Combine(Directory, "kustomization.yaml"))));
        var listed = ((YamlSequenceNode)((YamlMappingNode)kustomization.Documents[0].RootNode)["resources"])
            .Select(n => ((YamlScalarNode)n).Value).Order().ToList();

        Assert.Equal(files, listed);
        Assert.NotEmpty(Resources.Value);
        Assert.All(Resources.Value, r => Assert.False(string.IsNullOrEmpty(((IKubernetesObject<V1ObjectMeta>)r.Resource).Metadata?.Name), r.File));
    }

    [Fact]
    public void WebDeployment_ServesWebRole_WithProbesOnHealthEndpoints_AndSessionAffinity()
    {
        var web = Deployment("artifactportal-web");
        var container = Assert.Single(web.Spec.Template.Spec.Containers);

        Assert.Equal(["serve", "--role", "web"], container.Args);
        Assert.True(web.Spec.Replicas >= 2, "Scale-out needs at least two web pods.");
        AssertProbes(container);

        var service = Single<V1Service>("artifactportal-web");
        Assert.Equal("ClientIP", service.Spec.SessionAffinity);
        Assert.Equal(web.Spec.Template.Metadata.Labels, service.Spec.Selector);
        Assert.Equal(web.Spec.Selector.MatchLabels, service.Spec.Selector);

        var ingress = Single<V1Ingress>("artifactportal");
        Assert.Equal("cookie", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/affinity"]);
        var backend = Assert.Single(Assert.Single(ingress.Spec.Rules).Http.Paths).Backend.Service;
        Assert.Equal(service.Metadata.Name, backend.Name);
        Assert.Contains(service.Spec.Ports, p => p.Name == backend.Port.Name);
    }

    [Fact]
    public void WorkerDeployment_RunsJobsOnly_WithProbes()
    {
        var worker = Deployment("artifactportal-worker");
        var container = Assert.Single(worker.Spec.Template.Spec.Containers);

        Assert.Equal(["serve", "--role", "worker"], container.Args.Take(3));
        AssertProbes(container);
        Assert.DoesNotContain(Resources.Value.Select(r => r.Resource).OfType<V1Service>(),
            s => s.Spec.Selector.All(kv => worker.Spec.Template.Metadata.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value));
    }

    [Fact]
    public void MigrationsJob_RunsMigrate()
    {
        var job = Single<V1Job>("artifactportal-migrate");
        var container = Assert.Single(job.Spec.Template.Spec.Containers);

        Assert.Equal(["migrate"], container.Args);
        Assert.Equal("OnFailure", job.Spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public void EveryPod_HasResourcesReadOnlyRootAndNonRootUser_AndItsConfigurationExists()
    {
        var configMaps = Resources.Value.Select(r => r.Resource).OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name);
        var secrets = Resources.Value.Select(r => r.Resource).OfType<V1Secret>().ToDictionary(s => s.Metadata.Name);
        var claims = Resources.Value.Select(r => r.Resource).OfType<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToHashSet();
        var pods = Resources.Value.Select(r => r.Resource switch
        {
            V1Deployment d => d.Spec.Template.Spec,
            V1Job j => j.Spec.Template.Spec,
            _ => null,
        }).OfType<V1PodSpec>().ToList();

        Assert.Equal(3, pods.Count);
        foreach (var pod in pods)
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
            foreach (var container in pod.Containers)
            {
                Assert.Equal("artifactportal", container.Image);
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, container.Name);
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resources.Requests.ContainsKey(resource), $"{container.Name}: no {resource} request");
                    Assert.True(container.Resources.Limits.ContainsKey(resource), $"{container.Name}: no {resource} limit");
                }

                // The image's writable paths: a read-only root needs volumes there.
                var mounts = container.VolumeMounts.Select(m => m.MountPath).ToList();
                Assert.Contains("/tmp", mounts);
                Assert.Contains("/data", mounts);
                Assert.All(container.VolumeMounts, m => Assert.Contains(pod.Volumes, v => v.Name == m.Name));
                Assert.All(pod.Volumes.Where(v => v.PersistentVolumeClaim is not null), v => Assert.Contains(v.PersistentVolumeClaim.ClaimName, claims));

                var configMapRef = Assert.Single(container.EnvFrom, e => e.ConfigMapRef is not null).ConfigMapRef.Name;
                var secretRef = Assert.Single(container.EnvFrom, e => e.SecretRef is not null).SecretRef.Name;
                Assert.True(configMaps.ContainsKey(configMapRef), configMapRef);
                Assert.True(secrets.ContainsKey(secretRef), secretRef);
            }
        }

        // Connection strings and SMTP credentials are secret, never in the ConfigMap.
        var secret = Assert.Single(secrets.Values).StringData;
        Assert.Contains("ARTIFACTPORTAL_ConnectionStrings__Default", secret.Keys);
        Assert.Contains("ARTIFACTPORTAL_Storage__AzureBlob__ConnectionString", secret.Keys);
        Assert.Contains("ARTIFACTPORTAL_Smtp__Password", secret.Keys);
        Assert.All(configMaps.Values.SelectMany(c => c.Data.Keys),
            key => Assert.False(key.Contains("ConnectionString", StringComparison.Ordinal) || key.Contains("Password", StringComparison.Ordinal), key));
        Assert.Equal("false", Assert.Single(configMaps.Values).Data["ARTIFACTPORTAL_Database__MigrateOnStart"]);
    }

    private static void AssertProbes(V1Container container)
    {
        Assert.Equal("/healthz/live", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/healthz/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz/live", container.StartupProbe.HttpGet.Path);
        foreach (var probe in new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe })
        {
            Assert.Contains(container.Ports, p => p.Name == probe.HttpGet.Port.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == probe.HttpGet.Port.Value);
        }
    }

    private static V1Deployment Deployment(string name) => Single<V1Deployment>(name);

    private static T Single<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(Resources.Value.Select(r => r.Resource).OfType<T>(), r => r.Metadata.Name == name);

    private static List<(string File, object Resource)> Load()
    {
        var resources = new List<(string, object)>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.yaml").Order())
        {
            if (Path.GetFileName(file) == "kustomization.yaml")
            {
                continue;
            }

            try
            {
                resources.AddRange(KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true).Select(o => (Path.GetFileName(file), o)));
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{Path.GetFileName(file)} is not a valid Kubernetes manifest: {e.Message}", e);
            }
        }

        return resources;
    }
}
