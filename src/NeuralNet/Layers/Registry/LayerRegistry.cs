using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;

namespace NeuralNet.Layers;

/// <summary>
/// Maps stable kind names to layer classes, and ONNX operators to the layers that import them: the one list that model
/// files, checkpoints, ONNX import and error messages read.
/// </summary>
/// <remarks>
/// <para>
/// A layer class is registered by its <see cref="LayerKindAttribute"/>, its static <c>FromConfig(LayerConfig)</c>
/// method and any <see cref="OnnxImportAttribute"/> methods, all in the layer's own file. Every layer of this library is
/// registered when the registry is first used. Register your own layers once at start-up, before loading a file that
/// holds them.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// LayerRegistry.Register(typeof(Scale&lt;&gt;));            // a generic layer, for float and double
/// network.Save("model.nnet");                        // now works for networks holding Scale&lt;float&gt;
/// </code>
/// </example>
public static class LayerRegistry
{
    private static readonly object Gate = new();
    private static readonly ConcurrentDictionary<(string Kind, Type Element), Delegate> Factories = new();
    private static readonly ConcurrentDictionary<(string Operator, Type Element), Delegate> Importers = new();
    private static Dictionary<string, Type> kinds = new(StringComparer.Ordinal);
    private static Dictionary<string, (Type Layer, MethodInfo Method)> operators = new(StringComparer.Ordinal);
    private static bool builtInsRegistered;

    /// <summary>Every registered kind name, sorted.</summary>
    public static IReadOnlyList<string> Kinds
    {
        get
        {
            EnsureBuiltIns();
            return [.. kinds.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Every ONNX operator that some registered layer imports, sorted.</summary>
    public static IReadOnlyList<string> OnnxOperators
    {
        get
        {
            EnsureBuiltIns();
            return [.. operators.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Registers a layer class: an open generic type such as <c>typeof(Scale&lt;&gt;)</c> (for every element type), or a
    /// class implementing <see cref="ILayer{T}"/> for one element type. Registering the same class again does nothing.
    /// </summary>
    /// <param name="layerType">The class, marked with <see cref="LayerKindAttribute"/> and with a static <c>FromConfig(LayerConfig)</c>.</param>
    /// <exception cref="ArgumentException">
    /// The class lacks the attribute or the factory, an <see cref="OnnxImportAttribute"/> method has the wrong signature,
    /// or the kind or an operator is already registered to another class.
    /// </exception>
    public static void Register(Type layerType)
    {
        ArgumentNullException.ThrowIfNull(layerType);
        EnsureBuiltIns();
        lock (Gate)
        {
            RegisterLocked(layerType);
        }
    }

    /// <summary>Whether <paramref name="kind"/> is registered.</summary>
    /// <param name="kind">A kind name.</param>
    public static bool IsRegistered(string kind)
    {
        EnsureBuiltIns();
        return kind is not null && kinds.ContainsKey(kind);
    }

    /// <summary>The registered class of <paramref name="kind"/> (open generic for the library's layers).</summary>
    /// <param name="kind">A kind name.</param>
    /// <exception cref="ArgumentException">The kind is not registered (the message lists the registered kinds).</exception>
    public static Type GetLayerType(string kind)
    {
        EnsureBuiltIns();
        return kind is not null && kinds.TryGetValue(kind, out Type? type) ? type : throw Unknown(kind);
    }

    /// <summary>Builds a layer from its configuration, as a model file loader does.</summary>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="config">A configuration as returned by <see cref="ILayer{T}.GetConfig"/>.</param>
    /// <returns>A new layer with fresh parameters; the caller fills in saved values.</returns>
    /// <exception cref="ArgumentException">The kind is not registered, or the layer refuses the settings (the message says which).</exception>
    public static ILayer<T> Create<T>(LayerConfig config)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(config);
        var factory = (Func<LayerConfig, ILayer<T>>)Factories.GetOrAdd((config.Kind, typeof(T)), key => MakeFactory<T>(key.Kind));
        ILayer<T> layer = factory(config);
        return layer ?? throw new ArgumentException($"{config.Kind}: FromConfig returned null.", nameof(config));
    }

    /// <summary>
    /// Builds the layer for an ONNX node through the layer that registered its operator.
    /// </summary>
    /// <returns><see langword="false"/> when no layer imports the operator; otherwise the layer, or <see langword="null"/> for a node that adds none.</returns>
    internal static bool TryImport<T>(OnnxNode node, out ILayer<T>? layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        EnsureBuiltIns();
        if (!operators.TryGetValue(node.OperatorType, out (Type Layer, MethodInfo Method) entry))
        {
            layer = null;
            return false;
        }

        var import = (Func<OnnxNode, ILayer<T>?>)Importers.GetOrAdd(
            (node.OperatorType, typeof(T)),
            _ => (Func<OnnxNode, ILayer<T>?>)Close<T>(entry.Layer, entry.Method.Name, entry.Method)
                .CreateDelegate(typeof(Func<OnnxNode, ILayer<T>?>)));
        layer = import(node);
        return true;
    }

    /// <summary>The lowest opset in which <paramref name="operatorType"/> exists as its importer reads it (1 when not registered).</summary>
    internal static int MinimumOpset(string operatorType)
    {
        EnsureBuiltIns();
        return operators.TryGetValue(operatorType, out (Type Layer, MethodInfo Method) entry)
            ? entry.Method.GetCustomAttributes<OnnxImportAttribute>().First(a => a.OperatorType == operatorType).MinimumOpset
            : 1;
    }

    private static Func<LayerConfig, ILayer<T>> MakeFactory<T>(string kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Type type = GetLayerType(kind);
        MethodInfo method = Close<T>(type, "FromConfig", FindFactory(type));
        return (Func<LayerConfig, ILayer<T>>)method.CreateDelegate(typeof(Func<LayerConfig, ILayer<T>>));
    }

    /// <summary>The method <paramref name="open"/> on the class closed over <typeparamref name="T"/>.</summary>
    private static MethodInfo Close<T>(Type type, string name, MethodInfo open)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Type closed;
        if (type.IsGenericTypeDefinition)
        {
            closed = type.MakeGenericType(typeof(T));
        }
        else if (typeof(ILayer<T>).IsAssignableFrom(type))
        {
            closed = type;
        }
        else
        {
            throw new ArgumentException($"The layer class {type.Name} is not an ILayer<{typeof(T).Name}>; it cannot be built for element type {typeof(T).Name}.");
        }

        Type[] parameters = [.. open.GetParameters().Select(p => p.ParameterType)];
        return closed.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly, parameters)
            ?? throw new ArgumentException($"The layer class {closed.Name} has no static {name}.");
    }

    private static void EnsureBuiltIns()
    {
        if (Volatile.Read(ref builtInsRegistered))
        {
            return;
        }

        lock (Gate)
        {
            if (builtInsRegistered)
            {
                return;
            }

            foreach (Type type in typeof(LayerRegistry).Assembly.GetTypes().Where(t => t.GetCustomAttribute<LayerKindAttribute>() is not null).OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                RegisterLocked(type);
            }

            Volatile.Write(ref builtInsRegistered, true);
        }
    }

    private static void RegisterLocked(Type layerType)
    {
        string kind = layerType.GetCustomAttribute<LayerKindAttribute>()?.Kind
            ?? throw new ArgumentException($"{layerType.Name} has no [LayerKind(\"…\")] attribute naming its stable kind.", nameof(layerType));
        StoredNames.Check(kind, nameof(layerType));
        if (!layerType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILayer<>)))
        {
            throw new ArgumentException($"{layerType.Name} does not implement ILayer<T>.", nameof(layerType));
        }

        if (kinds.TryGetValue(kind, out Type? existing))
        {
            if (existing == layerType)
            {
                return;
            }

            throw new ArgumentException($"The kind '{kind}' is already registered to {existing.Name}; {layerType.Name} needs another name.", nameof(layerType));
        }

        FindFactory(layerType);
        var newOperators = new Dictionary<string, (Type, MethodInfo)>(operators, StringComparer.Ordinal);
        foreach (MethodInfo method in layerType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            foreach (OnnxImportAttribute import in method.GetCustomAttributes<OnnxImportAttribute>())
            {
                CheckImporter(layerType, method);
                if (!newOperators.TryAdd(import.OperatorType, (layerType, method)))
                {
                    throw new ArgumentException($"The ONNX operator '{import.OperatorType}' is already imported by {newOperators[import.OperatorType].Item1.Name}.", nameof(layerType));
                }
            }
        }

        operators = newOperators;
        kinds = new Dictionary<string, Type>(kinds, StringComparer.Ordinal) { [kind] = layerType };
    }

    private static MethodInfo FindFactory(Type layerType)
    {
        MethodInfo? method = layerType.GetMethod(
            "FromConfig", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly, [typeof(LayerConfig)]);
        return method is not null && method.ReturnType != typeof(void)
            ? method
            : throw new ArgumentException($"{layerType.Name} needs a static FromConfig(LayerConfig) method that builds the layer from its configuration.", nameof(layerType));
    }

    private static void CheckImporter(Type layerType, MethodInfo method)
    {
        ParameterInfo[] parameters = method.GetParameters();
        if (parameters.Length != 1 || parameters[0].ParameterType != typeof(OnnxNode) || method.ReturnType == typeof(void))
        {
            throw new ArgumentException($"{layerType.Name}.{method.Name}: an [OnnxImport] method must be static, take one OnnxNode and return the layer (or null).", nameof(layerType));
        }
    }

    private static ArgumentException Unknown(string? kind) =>
        new($"Unknown layer kind '{kind}'; registered kinds: {string.Join(", ", kinds.Keys.Order(StringComparer.Ordinal))}. Register a layer of your own with LayerRegistry.Register.");
}
